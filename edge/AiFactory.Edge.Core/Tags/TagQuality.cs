namespace AiFactory.Edge.Core.Tags;

/// <summary>One tag's cumulative data-quality counters; safe to read from any thread while one thread counts.</summary>
public sealed class TagQuality(string tag)
{
    private long _stale;
    private long _outOfRange;
    private long _nan;
    private long _gaps;
    private long _decodeErrors;

    public string Tag { get; } = tag;

    public void CountStale() => Interlocked.Increment(ref _stale);

    public void CountOutOfRange() => Interlocked.Increment(ref _outOfRange);

    public void CountNaN() => Interlocked.Increment(ref _nan);

    public void CountGaps(long missing) => Interlocked.Add(ref _gaps, missing);

    public void CountDecodeError() => Interlocked.Increment(ref _decodeErrors);

    public TagQualitySnapshot Snapshot() => new(
        Tag, Interlocked.Read(ref _stale), Interlocked.Read(ref _outOfRange), Interlocked.Read(ref _nan), Interlocked.Read(ref _gaps), Interlocked.Read(ref _decodeErrors));
}
