using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Core.Frames;

/// <summary>
/// Builds one station's frames (values in the model card's feature order) from its conditioned tag samples.
/// A value is fresh for a frame when it arrived since the previous frame, was good, and lies within
/// <see cref="FrameOptions.MaxSkew"/> of the frame's time. A frame missing a fresh value either holds the tag's
/// last good value (while it is younger than <see cref="FrameOptions.StaleAfter"/>) or is dropped, as the policy says.
/// Sample and window frames close when every tag is fresh, or when a tag repeats before that (the next cycle
/// started); part frames close when the trigger tag arrives. One reader; no I/O.
/// </summary>
public sealed class FrameAligner
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly FrameOptions _options;
    private readonly double[] _values;
    private readonly DateTimeOffset[] _times;
    private readonly bool[] _has;
    private readonly bool[] _fresh;
    private int _freshCount;

    /// <param name="tags">The tag feeding each feature, in feature order.</param>
    public FrameAligner(string station, IReadOnlyList<string> tags, FrameOptions options)
    {
        if (options.Kind == FrameKind.Part && options.Trigger is null)
        {
            throw new ArgumentException($"station '{station}': part frames need a trigger tag");
        }

        Station = station;
        for (var i = 0; i < tags.Count; i++)
        {
            _index[tags[i]] = i;
        }

        _options = options;
        _values = new double[tags.Count];
        _times = new DateTimeOffset[tags.Count];
        _has = new bool[tags.Count];
        _fresh = new bool[tags.Count];
    }

    public string Station { get; }

    public FrameCounters Counters { get; } = new();

    /// <summary>Whether this station uses the tag (a feature or its trigger).</summary>
    public bool Uses(string tag) => _index.ContainsKey(tag) || tag == _options.Trigger;

    /// <summary>Takes a conditioned sample; true with a frame (a new array) when the sample closes one that is kept.</summary>
    public bool TryAdd(in TagSample sample, out AlignedFrame frame)
    {
        frame = default;
        if (_options.Kind == FrameKind.Part && sample.Tag == _options.Trigger)
        {
            return Close(sample.Timestamp, out frame);
        }

        if (!_index.TryGetValue(sample.Tag, out var i) || sample.Quality != SampleQuality.Good)
        {
            return false;
        }

        var closed = false;
        if (_options.Kind != FrameKind.Part && _fresh[i])
        {
            closed = Close(Newest(), out frame);
        }

        _values[i] = sample.Value;
        _times[i] = sample.Timestamp;
        _has[i] = true;
        if (!_fresh[i])
        {
            _fresh[i] = true;
            _freshCount++;
        }

        if (_options.Kind != FrameKind.Part && _freshCount == _values.Length)
        {
            return Close(Newest(), out frame);
        }

        return closed;
    }

    private DateTimeOffset Newest()
    {
        var newest = DateTimeOffset.MinValue;
        for (var i = 0; i < _fresh.Length; i++)
        {
            if (_fresh[i] && _times[i] > newest)
            {
                newest = _times[i];
            }
        }

        return newest;
    }

    private bool Close(DateTimeOffset at, out AlignedFrame frame)
    {
        frame = default;
        var keep = true;
        var held = 0;
        for (var i = 0; i < _values.Length && keep; i++)
        {
            var age = _has[i] ? Distance(at, _times[i]) : TimeSpan.MaxValue;
            if (_fresh[i] && age <= _options.MaxSkew)
            {
                continue;
            }

            if (_options.Missing == MissingValuePolicy.Drop)
            {
                Counters.CountDroppedMissing();
                keep = false;
            }
            else if (!_has[i] || age > _options.StaleAfter)
            {
                Counters.CountDroppedStale();
                keep = false;
            }
            else
            {
                held++;
            }
        }

        Array.Clear(_fresh);
        _freshCount = 0;
        if (!keep)
        {
            return false;
        }

        for (var h = 0; h < held; h++)
        {
            Counters.CountHeld();
        }

        Counters.CountBuilt();
        frame = new AlignedFrame(at, (double[])_values.Clone());
        return true;
    }

    private static TimeSpan Distance(DateTimeOffset a, DateTimeOffset b) => a >= b ? a - b : b - a;
}
