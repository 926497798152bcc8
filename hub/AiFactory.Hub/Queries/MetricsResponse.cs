using AiFactory.Contracts;

namespace AiFactory.Hub.Queries;

/// <summary>The answer of a metrics query: totals, per-class defect counts and rates, data quality and the series.</summary>
public sealed record MetricsResponse(
    MetricsScope Scope,
    DateTimeOffset From,
    DateTimeOffset To,
    string Bucket,
    MetricsTotals Totals,
    IReadOnlyDictionary<string, long> ClassCounts,
    IReadOnlyDictionary<string, double> DefectRatePerClass,
    IReadOnlyList<DataQualityCounters> DataQuality,
    IReadOnlyList<MetricsPoint> Series);
