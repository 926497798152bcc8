namespace AiFactory.Benchmarks;

/// <summary>Exact percentiles of recorded latencies (µs).</summary>
internal sealed class Percentiles(int capacity)
{
    private double[] _values = new double[capacity];

    public int Count { get; private set; }

    public void Add(double microseconds)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = microseconds;
    }

    public void AddRange(Percentiles other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Add(other._values[i]);
        }
    }

    public double At(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        Array.Sort(_values, 0, Count);
        return _values[Math.Min(Count - 1, (int)(quantile * Count))];
    }
}
