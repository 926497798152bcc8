namespace AiFactory.Edge.Core.Frames;

/// <summary>Cumulative counts of one station's frame alignment, readable from any thread.</summary>
public sealed class FrameCounters
{
    private long _built;
    private long _held;
    private long _droppedMissing;
    private long _droppedStale;

    /// <summary>Frames handed to the model.</summary>
    public long Built => Interlocked.Read(ref _built);

    /// <summary>Values a built frame took from an older sample (hold-last).</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>Frames dropped because a tag had no fresh value under the drop policy.</summary>
    public long DroppedMissing => Interlocked.Read(ref _droppedMissing);

    /// <summary>Frames dropped because a tag's last value was older than the staleness limit (or it had none).</summary>
    public long DroppedStale => Interlocked.Read(ref _droppedStale);

    internal void CountBuilt() => Interlocked.Increment(ref _built);

    internal void CountHeld() => Interlocked.Increment(ref _held);

    internal void CountDroppedMissing() => Interlocked.Increment(ref _droppedMissing);

    internal void CountDroppedStale() => Interlocked.Increment(ref _droppedStale);
}
