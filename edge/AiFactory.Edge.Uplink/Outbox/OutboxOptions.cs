namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>Where the outbox lives and how much it may hold.</summary>
public sealed class OutboxOptions
{
    /// <summary>The SQLite file; its folder is created when missing.</summary>
    public required string Path { get; init; }

    /// <summary>Most payload bytes kept waiting for the hub.</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Oldest a waiting record may grow before the full policy applies to it.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    public OutboxFullPolicy FullPolicy { get; init; } = OutboxFullPolicy.DropOldest;
}
