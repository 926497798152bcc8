namespace AiFactory.Hub.Live;

/// <summary>A station's last hour, latest events and the high-water marks of its plant's edges, all from one snapshot.</summary>
public sealed record StationState(KpiSeries Series, IReadOnlyDictionary<string, long> HighWaters, IReadOnlyList<LiveEvent> Events);
