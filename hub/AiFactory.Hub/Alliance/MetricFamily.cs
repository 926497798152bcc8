namespace AiFactory.Hub.Alliance;

/// <summary>What a sharing policy covers and a benchmark compares. Wire names: <see cref="MetricFamilies"/>.</summary>
public enum MetricFamily
{
    /// <summary>Passed frames over judged frames.</summary>
    FirstPassYield,

    /// <summary>Failed frames over judged frames.</summary>
    DefectRate,

    /// <summary>Anomalies over frames.</summary>
    AnomalyRate,

    /// <summary>Frames per line-hour.</summary>
    Throughput,

    /// <summary>The model's p95 latency in milliseconds.</summary>
    ModelLatency,

    /// <summary>Model drift: the mean over the period's station reports of each report's largest input PSI.</summary>
    Drift,
}
