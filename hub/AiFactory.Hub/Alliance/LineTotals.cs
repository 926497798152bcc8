namespace AiFactory.Hub.Alliance;

/// <summary>One line's sums over a benchmark's period, from <c>alliance_line_days</c>.</summary>
public sealed record LineTotals(
    string Company, string Plant, string Line, string ProductFamily, long Frames, long Pass, long Fail, long Anomalies, long[] Latency);
