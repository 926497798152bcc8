namespace AiFactory.Hub.Queries;

/// <summary>A scope's outcome over a time range.</summary>
/// <param name="Frames">Frames scored.</param>
/// <param name="Pass">Frames that passed.</param>
/// <param name="Fail">Frames that failed.</param>
/// <param name="FirstPassYield">Pass / (pass + fail); null without verdicts.</param>
/// <param name="Anomalies">Frames flagged anomalous.</param>
/// <param name="AnomalyRate">Anomalies / frames; null without frames.</param>
/// <param name="ThroughputPerMinute">Frames per minute over the range.</param>
/// <param name="MeanScore">Mean model score.</param>
/// <param name="LatencyP50Ms">Median model latency (ms), from the merged histogram.</param>
/// <param name="LatencyP95Ms">95th percentile model latency (ms).</param>
/// <param name="LatencyP99Ms">99th percentile model latency (ms).</param>
public sealed record MetricsTotals(
    long Frames,
    long Pass,
    long Fail,
    double? FirstPassYield,
    long Anomalies,
    double? AnomalyRate,
    double ThroughputPerMinute,
    double? MeanScore,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms);
