namespace AiFactory.Edge.Core.Batching;

/// <summary>A lock-free histogram of durations in microseconds over fixed bucket bounds.</summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds (µs, inclusive) of every bucket but the last, which holds the rest.</summary>
    public static readonly long[] BoundsMicroseconds =
        [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 500_000, 1_000_000];

    private readonly long[] _counts = new long[BoundsMicroseconds.Length + 1];
    private long _count;
    private long _sumMicroseconds;
    private long _maxMicroseconds;

    public long Count => Interlocked.Read(ref _count);

    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sumMicroseconds) / Count;

    public long MaxMicroseconds => Interlocked.Read(ref _maxMicroseconds);

    public void Record(long microseconds) => Record(microseconds, 1);

    /// <summary>Records <paramref name="count"/> durations of the same length at the cost of one.</summary>
    public void Record(long microseconds, long count)
    {
        var bucket = Array.BinarySearch(BoundsMicroseconds, microseconds);
        if (bucket < 0)
        {
            bucket = ~bucket;
        }

        Interlocked.Add(ref _counts[bucket], count);
        Interlocked.Add(ref _count, count);
        Interlocked.Add(ref _sumMicroseconds, microseconds * count);
        long max;
        while (microseconds > (max = Interlocked.Read(ref _maxMicroseconds)) && Interlocked.CompareExchange(ref _maxMicroseconds, microseconds, max) != max)
        {
        }
    }

    public long[] Snapshot()
    {
        var copy = new long[_counts.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Read(ref _counts[i]);
        }

        return copy;
    }

    /// <summary>Estimated quantile (0..1): the upper bound of the bucket that holds it (the maximum for the last bucket).</summary>
    public long PercentileMicroseconds(double quantile)
    {
        var counts = Snapshot();
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0)
            {
                return i < BoundsMicroseconds.Length ? Math.Min(BoundsMicroseconds[i], MaxMicroseconds) : MaxMicroseconds;
            }
        }

        return MaxMicroseconds;
    }
}
