namespace AiFactory.Hub.Alliance;

/// <summary>One line's sums over a benchmark's period, from <c>alliance_line_spans</c>.</summary>
/// <param name="DriftSum">The sum of its stations' drift figures (largest PSI of a report's inputs), one per report.</param>
/// <param name="DriftReports">How many reports <paramref name="DriftSum"/> holds.</param>
public sealed record LineTotals(
    string Company, string Plant, string Line, string ProductFamily, long Frames, long Pass, long Fail, long Anomalies, double DriftSum, long DriftReports, long[] Latency);
