namespace AiFactory.Edge.Core.Batching;

/// <summary>How long a frame queued, how long its batch ran, and how many frames shared that batch.</summary>
public readonly record struct InferenceTiming(TimeSpan QueueWait, TimeSpan RunTime, int BatchSize)
{
    public TimeSpan Total => QueueWait + RunTime;
}
