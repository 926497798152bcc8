namespace AiFactory.Drill;

/// <summary>What the hub stored for one edge: applied records, the resent ones it skipped, its high-water mark, the frames in its buckets and the events.</summary>
internal sealed record HubCounts(long Records, long Duplicates, long LastSequence, long Frames, long Events);
