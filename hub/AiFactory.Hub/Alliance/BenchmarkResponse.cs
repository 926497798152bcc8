namespace AiFactory.Hub.Alliance;

/// <summary>The answer to a benchmark query: the total cell first, then one per product family when asked.</summary>
public sealed record BenchmarkResponse(
    string QueryId, string Alliance, string ProcessType, string Metric, DateTimeOffset From, DateTimeOffset To, PrivacySpend? Privacy, IReadOnlyList<BenchmarkCell> Cells);
