namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>One row of <see cref="OutboxInspector.List"/>: a waiting record or a dead letter (then with when and why).</summary>
public sealed record OutboxListing(long Sequence, DateTimeOffset CreatedUtc, OutboxRecordKind Kind, int Bytes, DateTimeOffset? DeadUtc, string? Reason);
