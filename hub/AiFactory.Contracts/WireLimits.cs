namespace AiFactory.Contracts;

/// <summary>
/// Bounds every number on the wire must respect, so that sums of them in the hub's buckets and queries stay far
/// from overflow; the hub refuses (400) a record outside them and the edge never produces one.
/// </summary>
public static class WireLimits
{
    /// <summary>
    /// The most any one counter of one record may hold (frames, verdicts, classes, anomalies, data-quality
    /// counters, histogram counts, outbox counters): 10^12, a million frames a second for eleven days.
    /// </summary>
    public const long MaxCount = 1_000_000_000_000;

    /// <summary>The largest magnitude of a histogram value (a score, a latency in milliseconds): 10^12.</summary>
    public const double MaxValue = 1e12;
}
