namespace AiFactory.Edge.Core.Stations;

/// <summary>
/// The last W normalised samples, oldest first, flattened row-major into one frame. Until W samples have
/// been seen, the missing older rows repeat the stream's first sample (CARD-FORMAT.md).
/// </summary>
public sealed class FrameWindow
{
    private readonly int _features;
    private readonly int _window;
    private readonly float[] _ring;
    private readonly float[] _first;
    private long _seen;

    public FrameWindow(int features, int window)
    {
        _features = features;
        _window = window;
        _ring = new float[features * window];
        _first = new float[features];
    }

    public int FrameLength => _features * _window;

    /// <summary>Adds one normalised sample and writes the frame ending with it into <paramref name="frame"/>.</summary>
    public void Push(ReadOnlySpan<float> sample, Span<float> frame)
    {
        if (_seen == 0)
        {
            sample.CopyTo(_first);
        }

        var slot = (int)(_seen % _window);
        sample.CopyTo(_ring.AsSpan(slot * _features, _features));
        _seen++;
        for (var row = 0; row < _window; row++)
        {
            // Row 0 is the oldest: sample index seen-W+row.
            var index = _seen - _window + row;
            var source = index < 0 ? _first : _ring.AsSpan((int)(index % _window) * _features, _features);
            source.CopyTo(frame.Slice(row * _features, _features));
        }
    }
}
