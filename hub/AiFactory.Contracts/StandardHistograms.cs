namespace AiFactory.Contracts;

/// <summary>
/// The bucket bounds every edge uses for the histograms it uploads, so the hub can store each bucket as a
/// column and merge any replica's batch by addition. A summary whose histograms use other bounds is refused.
/// </summary>
public static class StandardHistograms
{
    /// <summary>
    /// Model score bounds: fine over 0..1 (class probabilities, most anomaly scores), coarse above (anomaly scores
    /// are unbounded).
    /// </summary>
    public static IReadOnlyList<double> ScoreBounds { get; } =
    [
        0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1,
        1.5, 2, 3, 5, 10, 20, 50, 100, 1000,
    ];

    /// <summary>Model latency bounds in milliseconds (queue wait plus run time), 50 µs to 5 s.</summary>
    public static IReadOnlyList<double> LatencyMsBounds { get; } =
    [
        0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 200, 500, 1000, 2000, 5000,
    ];

    /// <summary>A new, empty score histogram.</summary>
    public static MergeableHistogram NewScore() => new(ScoreBounds);

    /// <summary>A new, empty latency histogram (milliseconds).</summary>
    public static MergeableHistogram NewLatencyMs() => new(LatencyMsBounds);

    /// <summary>True when <paramref name="bounds"/> equal <paramref name="expected"/> exactly.</summary>
    public static bool SameBounds(IReadOnlyList<double> bounds, IReadOnlyList<double> expected)
    {
        if (ReferenceEquals(bounds, expected))
        {
            return true;
        }

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

    /// <summary>True when <paramref name="bounds"/>, as read off the wire, equal <paramref name="expected"/> exactly.</summary>
    public static bool SameBounds(ReadOnlySpan<double> bounds, IReadOnlyList<double> expected)
    {
        if (bounds.Length != expected.Count)
        {
            return false;
        }

        for (var i = 0; i < bounds.Length; i++)
        {
            if (bounds[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}
