namespace AiFactory.Contracts;

/// <summary>
/// A histogram with fixed, shared bucket upper bounds, so two histograms built by different
/// edges or replicas merge by adding their counts. Bucket i counts values in
/// (Bounds[i-1], Bounds[i]]; a final overflow bucket counts values above the last bound.
/// </summary>
public sealed class MergeableHistogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;

    /// <summary>Creates an empty histogram over strictly increasing, finite upper bounds.</summary>
    /// <exception cref="ArgumentException">The bounds are empty, not finite or not strictly increasing.</exception>
    public MergeableHistogram(IReadOnlyList<double> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (bounds.Count == 0)
        {
            throw new ArgumentException("Histogram bounds must not be empty.", nameof(bounds));
        }

        _bounds = new double[bounds.Count];
        for (var i = 0; i < bounds.Count; i++)
        {
            if (!double.IsFinite(bounds[i]))
            {
                throw new ArgumentException($"Histogram bound {i} is {bounds[i]}; bounds must be finite.", nameof(bounds));
            }

            if (i > 0 && bounds[i] <= bounds[i - 1])
            {
                throw new ArgumentException($"Histogram bound {i} ({bounds[i]}) is not greater than bound {i - 1} ({bounds[i - 1]}); bounds must be strictly increasing.", nameof(bounds));
            }

            _bounds[i] = bounds[i];
        }

        _counts = new long[bounds.Count + 1];
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    /// <summary>The bucket upper bounds.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Counts per bucket; one more than <see cref="Bounds"/> (the last is the overflow bucket).</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of recorded values.</summary>
    public double Sum { get; private set; }

    /// <summary>Smallest recorded value; positive infinity when empty.</summary>
    public double Min { get; private set; }

    /// <summary>Largest recorded value; negative infinity when empty.</summary>
    public double Max { get; private set; }

    /// <summary>Records one finite value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public void Record(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A histogram value must be finite.");
        }

        var index = Array.BinarySearch(_bounds, value);
        _counts[index >= 0 ? index : ~index]++;
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>Adds another histogram with identical bounds into this one.</summary>
    /// <exception cref="ArgumentException">The bounds differ.</exception>
    /// <exception cref="OverflowException">A count would pass <see cref="long.MaxValue"/>.</exception>
    public void Merge(MergeableHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!_bounds.AsSpan().SequenceEqual(other._bounds))
        {
            throw new ArgumentException("Cannot merge histograms with different bucket bounds.", nameof(other));
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] = checked(_counts[i] + other._counts[i]);
        }

        Count = checked(Count + other.Count);
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>
    /// Adds a histogram's wire form with identical bounds into this one without building it first; the caller
    /// has checked it (e.g. with <see cref="FromData"/>) — counts are trusted here.
    /// </summary>
    /// <exception cref="ArgumentException">The bounds or the number of counts differ.</exception>
    public void Merge(HistogramData other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Counts.Count != _counts.Length || other.Bounds.Count != _bounds.Length)
        {
            throw new ArgumentException("Cannot merge histograms with different bucket bounds.", nameof(other));
        }

        for (var i = 0; i < _bounds.Length; i++)
        {
            if (other.Bounds[i] != _bounds[i])
            {
                throw new ArgumentException("Cannot merge histograms with different bucket bounds.", nameof(other));
            }
        }

        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] = checked(_counts[i] + other.Counts[i]);
        }

        Count = checked(Count + other.Count);
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min ?? double.PositiveInfinity);
        Max = Math.Max(Max, other.Max ?? double.NegativeInfinity);
    }

    /// <summary>
    /// Estimates the value at quantile <paramref name="q"/> (0..1) by linear interpolation inside
    /// the bucket holding it, clamped to the recorded min and max; NaN when empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside 0..1.</exception>
    public double Percentile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile must be between 0 and 1.");
        }

        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = q * Count;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0 || seen + _counts[i] < rank)
            {
                seen += _counts[i];
                continue;
            }

            var lower = Math.Max(i == 0 ? Min : _bounds[i - 1], Min);
            var upper = Math.Min(i < _bounds.Length ? _bounds[i] : Max, Max);
            var fraction = (rank - seen) / _counts[i];
            return lower + ((upper - lower) * fraction);
        }

        return Max;
    }

    /// <summary>Returns the wire form of this histogram.</summary>
    public HistogramData ToData() =>
        new(_bounds.ToArray(), _counts.ToArray(), Sum, Count, Count == 0 ? null : Min, Count == 0 ? null : Max);

    /// <summary>Rebuilds a histogram from its wire form, checking that it is consistent.</summary>
    /// <exception cref="ArgumentException">The counts do not match the bounds or the total count.</exception>
    public static MergeableHistogram FromData(HistogramData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var h = new MergeableHistogram(data.Bounds);
        if (data.Counts.Count != h._counts.Length)
        {
            throw new ArgumentException($"Histogram has {data.Counts.Count} counts for {data.Bounds.Count} bounds; expected {h._counts.Length}.", nameof(data));
        }

        long total = 0;
        for (var i = 0; i < h._counts.Length; i++)
        {
            if (data.Counts[i] < 0)
            {
                throw new ArgumentException($"Histogram count {i} is negative ({data.Counts[i]}).", nameof(data));
            }

            h._counts[i] = data.Counts[i];
            total = checked(total + data.Counts[i]);
        }

        if (total != data.Count)
        {
            throw new ArgumentException($"Histogram count is {data.Count} but its buckets sum to {total}.", nameof(data));
        }

        h.Count = total;
        h.Sum = data.Sum;
        h.Min = data.Min ?? double.PositiveInfinity;
        h.Max = data.Max ?? double.NegativeInfinity;
        return h;
    }
}
