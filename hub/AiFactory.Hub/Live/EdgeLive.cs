namespace AiFactory.Hub.Live;

/// <summary>An edge online or offline, and its last uplink when that last changed.</summary>
[GenerateSerializer]
[Immutable]
public sealed record EdgeLive(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] bool Online,
    [property: Id(2)] DateTimeOffset? LastSeenUtc)
{
    /// <summary>Online while its last uplink is less than <paramref name="offlineAfter"/> old.</summary>
    public static bool IsOnline(DateTimeOffset? lastSeen, DateTimeOffset now, TimeSpan offlineAfter) => lastSeen is { } seen && now - seen < offlineAfter;
}
