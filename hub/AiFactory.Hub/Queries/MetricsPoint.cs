namespace AiFactory.Hub.Queries;

/// <summary>One bucket of a metrics series.</summary>
public sealed record MetricsPoint(
    DateTimeOffset Start,
    long Frames,
    long Pass,
    long Fail,
    long Anomalies,
    double? FirstPassYield,
    double? LatencyP99Ms);
