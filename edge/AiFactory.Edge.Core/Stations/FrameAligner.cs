using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Tags;

namespace AiFactory.Edge.Core.Stations;

/// <summary>
/// Builds one station's frames from timestamped tag values (already converted and checked by <see cref="TagTable"/>):
/// <list type="bullet">
/// <item>per-sample stations: a frame closes when every tag has a new value; with a maximum skew, it also closes
/// when a value arrives later than the skew after the frame's first value, and the missing tags are held
/// (<see cref="MissingTagPolicy.HoldLast"/>, within the staleness limit) or the frame is dropped;</item>
/// <item>per-part stations: the trigger tag closes the frame; tags without a new value are held or the frame
/// dropped, and a value older than its staleness limit at the trigger drops the frame (counted on the tag).</item>
/// </list>
/// Not thread-safe: one routing thread calls <see cref="Add"/>.
/// </summary>
public sealed class FrameAligner
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly string[] _tags;
    private readonly string? _trigger;
    private readonly AlignmentOptions _options;
    private readonly TagTable _table;
    private readonly double[] _values;
    private readonly DateTimeOffset[] _times;
    private readonly bool[] _fresh;
    private readonly bool[] _known;
    private DateTimeOffset? _anchor;
    private int _freshCount;
    private long _built;
    private long _droppedMissing;
    private long _droppedStale;

    /// <param name="tags">The tag feeding each feature, in the card's feature order.</param>
    public FrameAligner(string station, IReadOnlyList<string> tags, string? trigger, AlignmentOptions options, TagTable table)
    {
        Station = station;
        _tags = tags.ToArray();
        for (var i = 0; i < _tags.Length; i++)
        {
            _index[_tags[i]] = i;
        }

        _trigger = trigger;
        _options = options;
        _table = table;
        _values = new double[_tags.Length];
        Array.Fill(_values, double.NaN);
        _times = new DateTimeOffset[_tags.Length];
        _fresh = new bool[_tags.Length];
        _known = new bool[_tags.Length];
    }

    public string Station { get; }

    public IReadOnlyList<string> Tags => _tags;

    /// <summary>True when <paramref name="tag"/> feeds this station (a feature or its trigger).</summary>
    public bool Uses(string tag) => _index.ContainsKey(tag) || tag == _trigger;

    public long FramesBuilt => Interlocked.Read(ref _built);

    /// <summary>Frames dropped because a tag had no value (drop policy, or nothing to hold).</summary>
    public long FramesDroppedMissing => Interlocked.Read(ref _droppedMissing);

    /// <summary>Frames dropped because a held value was older than its staleness limit.</summary>
    public long FramesDroppedStale => Interlocked.Read(ref _droppedStale);

    /// <summary>
    /// Takes one sample; <paramref name="usable"/> is what <see cref="TagTable.Apply"/> answered for it. Frames it
    /// closes are added to <paramref name="frames"/> (at most two: the expired one and the one it completes).
    /// </summary>
    public void Add(in TagSample sample, bool usable, List<AlignedFrame> frames)
    {
        if (sample.Tag == _trigger)
        {
            Close(sample.Timestamp, frames);
            return;
        }

        if (!usable || !_index.TryGetValue(sample.Tag, out var i))
        {
            return;
        }

        if (_trigger is null && _options.MaxSkew is { } skew && _anchor is { } anchor && sample.Timestamp - anchor > skew)
        {
            Close(anchor + skew, frames);
        }

        _values[i] = sample.Value;
        _times[i] = sample.Timestamp;
        _known[i] = true;
        _anchor ??= sample.Timestamp;
        if (!_fresh[i])
        {
            _fresh[i] = true;
            _freshCount++;
        }

        if (_trigger is null && _freshCount == _values.Length)
        {
            Emit(sample.Timestamp, frames);
        }
    }

    private void Close(DateTimeOffset at, List<AlignedFrame> frames)
    {
        if (_trigger is null && _freshCount == 0)
        {
            Reset();
            return;
        }

        for (var i = 0; i < _values.Length; i++)
        {
            if (_fresh[i])
            {
                continue;
            }

            if (_options.Missing == MissingTagPolicy.Drop || !_known[i])
            {
                Interlocked.Increment(ref _droppedMissing);
                Reset();
                return;
            }
        }

        for (var i = 0; i < _values.Length; i++)
        {
            if ((_table.Definition(_tags[i])?.StaleAfter ?? _options.StaleAfter) is { } limit && at - _times[i] > limit)
            {
                _table.Quality(_tags[i]).CountStale();
                Interlocked.Increment(ref _droppedStale);
                Reset();
                return;
            }
        }

        Emit(at, frames);
    }

    private void Emit(DateTimeOffset time, List<AlignedFrame> frames)
    {
        frames.Add(new AlignedFrame(time, (double[])_values.Clone()));
        Interlocked.Increment(ref _built);
        Reset();
    }

    private void Reset()
    {
        Array.Clear(_fresh);
        _freshCount = 0;
        _anchor = null;
    }
}
