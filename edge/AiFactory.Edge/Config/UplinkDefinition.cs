using AiFactory.Edge.Uplink.Outbox;

namespace AiFactory.Edge.Config;

/// <summary>The <c>uplink:</c> section: where the hub is, the edge's key, the window length, the outbox and its bounds, batching and backoff.</summary>
public sealed record UplinkDefinition(
    EdgeIdentity Edge,
    Uri Hub,
    string ApiKey,
    TimeSpan Window,
    OutboxOptions Outbox,
    int BatchRecords,
    long BatchBytes,
    TimeSpan BackoffCap,
    TimeSpan RequestTimeout,
    IReadOnlyDictionary<string, StationUplink> Stations)
{
    /// <summary>
    /// <c>trusted_keys:</c> the ids of the signing keys whose packages this edge runs (empty: every key the hub lists
    /// for the company); a package signed by another is refused at verification.
    /// </summary>
    public IReadOnlyList<string> TrustedKeys { get; init; } = [];
}
