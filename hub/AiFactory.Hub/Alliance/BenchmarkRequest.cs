namespace AiFactory.Hub.Alliance;

/// <summary>A benchmark query: the cells of a process type and metric over whole UTC days [From, To), asked by an analyst (whose budget pays) of a company.</summary>
public sealed record BenchmarkRequest(
    AllianceSettings Alliance, string ProcessType, MetricFamily Metric, DateTimeOffset From, DateTimeOffset To, bool ByFamily, double? Epsilon,
    string Analyst, string? AskingCompany);
