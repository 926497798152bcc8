using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Live;

/// <summary>
/// Builds one station's feature vectors (in the model card's feature order) from the tags feeding it: a vector
/// is complete when every feature has a new value since the last one (per-sample stations), or when the trigger
/// tag arrives (per-part stations, holding the last value of any feature that did not change).
/// </summary>
public sealed class StationAssembler
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly double[] _values;
    private readonly bool[] _fresh;
    private readonly string? _trigger;
    private int _freshCount;

    /// <param name="tags">The tag feeding each feature, in feature order.</param>
    public StationAssembler(string station, IReadOnlyList<string> tags, string? trigger = null)
    {
        Station = station;
        for (var i = 0; i < tags.Count; i++)
        {
            _index[tags[i]] = i;
        }

        _values = new double[tags.Count];
        Array.Fill(_values, double.NaN);
        _fresh = new bool[tags.Count];
        _trigger = trigger;
    }

    public string Station { get; }

    /// <summary>Takes a sample; returns a complete vector (a new array) when the sample completes one.</summary>
    public double[]? Add(in TagSample sample)
    {
        if (sample.Tag == _trigger)
        {
            return Complete();
        }

        if (!_index.TryGetValue(sample.Tag, out var i))
        {
            return null;
        }

        _values[i] = sample.Quality == SampleQuality.Good ? sample.Value : double.NaN;
        if (!_fresh[i])
        {
            _fresh[i] = true;
            _freshCount++;
        }

        return _trigger is null && _freshCount == _values.Length ? Complete() : null;
    }

    private double[] Complete()
    {
        Array.Clear(_fresh);
        _freshCount = 0;
        return (double[])_values.Clone();
    }
}
