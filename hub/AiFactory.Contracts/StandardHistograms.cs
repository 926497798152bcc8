namespace AiFactory.Contracts;

/// <summary>
/// The bucket bounds every edge uses for the histograms it uploads, so the hub can store each bucket as a
/// column and merge any replica's batch by addition. A summary whose histograms use other bounds is refused.
/// </summary>
public static class StandardHistograms
{
    /// <summary>Model score bounds: fine below 1 (probabilities, score/threshold ratios), coarse above.</summary>
    public static IReadOnlyList<double> ScoreBounds { get; } =
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 5, 10, 100];

    /// <summary>Model latency bounds in milliseconds, from 50 µs to 1 s.</summary>
    public static IReadOnlyList<double> LatencyMsBounds { get; } =
        [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 200, 500, 1000];

    /// <summary>A new, empty score histogram.</summary>
    public static MergeableHistogram NewScore() => new(ScoreBounds);

    /// <summary>A new, empty latency histogram (milliseconds).</summary>
    public static MergeableHistogram NewLatencyMs() => new(LatencyMsBounds);

    /// <summary>True when <paramref name="bounds"/> equal <paramref name="expected"/> exactly.</summary>
    public static bool SameBounds(IReadOnlyList<double> bounds, IReadOnlyList<double> expected)
    {
        if (bounds.Count != expected.Count)
        {
            return false;
        }

        for (var i = 0; i < bounds.Count; i++)
        {
            if (bounds[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}
