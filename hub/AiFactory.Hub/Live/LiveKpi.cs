namespace AiFactory.Hub.Live;

/// <summary>A scope's KPIs over a rolling window of whole minutes (the current minute included), as SQL's metrics would give them.</summary>
/// <param name="Minutes">Length of the window.</param>
/// <param name="Frames">Frames scored.</param>
/// <param name="Pass">Frames that passed.</param>
/// <param name="Fail">Frames that failed.</param>
/// <param name="FirstPassYield">Pass / (pass + fail); null without verdicts.</param>
/// <param name="Anomalies">Frames flagged anomalous.</param>
/// <param name="AnomalyRate">Anomalies / frames; null without frames.</param>
/// <param name="ThroughputPerMinute">Frames per minute over the window.</param>
/// <param name="LatencyP99Ms">99th percentile model latency from the merged histogram; null without frames.</param>
/// <param name="ClassCounts">Frames per predicted class.</param>
/// <param name="DefectRatePerClass">Class count / frames.</param>
[GenerateSerializer]
[Immutable]
public sealed record LiveKpi(
    [property: Id(0)] int Minutes,
    [property: Id(1)] long Frames,
    [property: Id(2)] long Pass,
    [property: Id(3)] long Fail,
    [property: Id(4)] double? FirstPassYield,
    [property: Id(5)] long Anomalies,
    [property: Id(6)] double? AnomalyRate,
    [property: Id(7)] double ThroughputPerMinute,
    [property: Id(8)] double? LatencyP99Ms,
    [property: Id(9)] IReadOnlyDictionary<string, long> ClassCounts,
    [property: Id(10)] IReadOnlyDictionary<string, double> DefectRatePerClass);
