namespace AiFactory.Contracts;

/// <summary>What one station's model produced during one window; every count merges by addition.</summary>
/// <param name="EdgeId">The edge that scored the frames.</param>
/// <param name="CompanyId">Owning company.</param>
/// <param name="PlantId">Owning plant.</param>
/// <param name="LineId">Owning line.</param>
/// <param name="StationId">The station.</param>
/// <param name="ModelName">The model that scored the frames.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="WindowStartUtc">Inclusive window start.</param>
/// <param name="WindowEndUtc">Exclusive window end.</param>
/// <param name="FramesScored">Frames scored in the window.</param>
/// <param name="PassCount">Frames with a pass verdict.</param>
/// <param name="FailCount">Frames with a fail verdict.</param>
/// <param name="ClassCounts">Frames per predicted class.</param>
/// <param name="AnomalyCount">Frames flagged as anomalous.</param>
/// <param name="Scores">Histogram of model scores.</param>
/// <param name="LatencyMs">Histogram of model latency in milliseconds.</param>
/// <param name="DataQuality">Data-quality counters per tag.</param>
public sealed record StationWindowSummary(
    string EdgeId,
    string CompanyId,
    string PlantId,
    string LineId,
    string StationId,
    string ModelName,
    string ModelVersion,
    DateTimeOffset WindowStartUtc,
    DateTimeOffset WindowEndUtc,
    long FramesScored,
    long PassCount,
    long FailCount,
    IReadOnlyDictionary<string, long> ClassCounts,
    long AnomalyCount,
    HistogramData Scores,
    HistogramData LatencyMs,
    IReadOnlyList<DataQualityCounters> DataQuality);
