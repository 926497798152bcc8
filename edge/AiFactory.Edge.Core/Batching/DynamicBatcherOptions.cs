namespace AiFactory.Edge.Core.Batching;

public sealed class DynamicBatcherOptions
{
    /// <summary>A batch runs as soon as it holds this many frames.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Or as soon as its oldest frame has waited this long; 0 runs whatever is queued at once.</summary>
    public int MaxQueueDelayMicroseconds { get; init; } = 500;

    /// <summary>Frames queued at most; further submits wait for room (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 4096;

    public NonFinitePolicy NonFinite { get; init; } = NonFinitePolicy.Reject;

    internal void Validate(string model)
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"model '{model}': MaxBatchSize must be ≥ 1 (was {MaxBatchSize})");
        }

        if (MaxQueueDelayMicroseconds < 0)
        {
            throw new ArgumentException($"model '{model}': MaxQueueDelayMicroseconds must be ≥ 0 (was {MaxQueueDelayMicroseconds})");
        }

        if (QueueCapacity < MaxBatchSize)
        {
            throw new ArgumentException($"model '{model}': QueueCapacity ({QueueCapacity}) must be ≥ MaxBatchSize ({MaxBatchSize})");
        }
    }
}
