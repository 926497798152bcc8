using AiFactory.Contracts;
using CsCheck;

namespace AiFactory.Hub.Tests.Support;

/// <summary>CsCheck generators of window summaries whose counts and values sit near every bound: 0, ±1, int and long limits, 2⁵³, a day's share of long.MaxValue.</summary>
internal static class NearBounds
{
    /// <summary>Windows of the shortest length (1 s) in a day: the most summaries one station's day of buckets adds up.</summary>
    public const long WindowsPerDay = 86_400;

    public static readonly Gen<long> Count = Gen.Frequency(
        (4, Gen.OneOf<long>(0, 1, -1, 2, int.MaxValue, (long)int.MaxValue + 1, 1L << 53, (1L << 53) + 1, long.MaxValue / WindowsPerDay, (long.MaxValue / WindowsPerDay) + 1, long.MaxValue / 2, (long.MaxValue / 2) + 1, long.MaxValue - 1, long.MaxValue, long.MinValue)),
        (3, Gen.Long[0, 1_000_000]),
        (1, Gen.Long));

    public static readonly Gen<double> Value = Gen.Frequency(
        (3, Gen.OneOf(0.0, -0.0, 1.0, -1.0, double.MaxValue, -double.MaxValue, double.MaxValue / WindowsPerDay, double.Epsilon, 9007199254740993.0, double.NaN, double.PositiveInfinity)),
        (2, Gen.Double[-1e6, 1e6]));

    public static readonly Gen<HistogramData> Scores = Histogram(StandardHistograms.ScoreBounds);

    public static readonly Gen<HistogramData> Latency = Histogram(StandardHistograms.LatencyMsBounds);

    public static readonly Gen<StationWindowSummary> Summary =
        from counts in Gen.Select(Count, Count, Count, Count)
        from classCount in Count
        from quality in Gen.Select(Count, Count, Count, Count, Count)
        from scores in Scores
        from latency in Latency
        select new StationWindowSummary(
            "e1", "acme", "p1", "l1", "s1", "pump-anomaly", "1.0.0", Batches.T0, Batches.T0.AddSeconds(10),
            counts.Item1, counts.Item2, counts.Item3, new Dictionary<string, long> { ["Bumps"] = classCount }, counts.Item4,
            scores, latency, [new DataQualityCounters("s1/t", quality.Item1, quality.Item2, quality.Item3, quality.Item4, quality.Item5)]);

    /// <summary>Standard bounds; one bucket holds a near-bound count, the total either matches it or is itself near a bound.</summary>
    private static Gen<HistogramData> Histogram(IReadOnlyList<double> bounds) =>
        from bucket in Gen.Int[0, bounds.Count]
        from count in Count
        from consistent in Gen.Bool
        from total in Count
        from sum in Value
        select new HistogramData(
            bounds,
            [.. Enumerable.Range(0, bounds.Count + 1).Select(b => b == bucket ? count : 0L)],
            sum,
            consistent ? count : total,
            (consistent ? count : total) == 0 ? null : 0.5,
            (consistent ? count : total) == 0 ? null : 0.5);
}
