namespace AiFactory.Edge.Core.Frames;

/// <summary>Cumulative data-quality counts of one tag; written by the line's reader, read from any thread.</summary>
public sealed class TagQualityCounters
{
    private long _samples;
    private long _stale;
    private long _outOfRange;
    private long _nan;
    private long _gaps;
    private long _decodeErrors;

    public long Samples => Interlocked.Read(ref _samples);

    public long Stale => Interlocked.Read(ref _stale);

    public long OutOfRange => Interlocked.Read(ref _outOfRange);

    public long NaN => Interlocked.Read(ref _nan);

    public long Gaps => Interlocked.Read(ref _gaps);

    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    internal void CountSample() => Interlocked.Increment(ref _samples);

    internal void CountStale() => Interlocked.Increment(ref _stale);

    internal void CountOutOfRange() => Interlocked.Increment(ref _outOfRange);

    internal void CountNaN() => Interlocked.Increment(ref _nan);

    internal void CountGaps(long missed) => Interlocked.Add(ref _gaps, missed);

    internal void CountDecodeError() => Interlocked.Increment(ref _decodeErrors);
}
