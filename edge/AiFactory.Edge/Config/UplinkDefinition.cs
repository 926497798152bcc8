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
    IReadOnlyDictionary<string, StationUplink> Stations);
