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

    /// <summary>Model drift: policies may cover it; the hub stores no drift figure yet, so benchmarks refuse it.</summary>
    Drift,
}
