namespace AiFactory.Hub.Alliance;

/// <summary>One metric of a company's standing: its own value (from all its lines of the process type) and the alliance's cell.</summary>
public sealed record StandingMetric(string Metric, double? Own, BenchmarkCell Alliance, string QueryId);
