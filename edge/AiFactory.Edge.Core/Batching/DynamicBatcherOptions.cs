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

    /// <summary>
    /// Run an awaiting caller's continuation on the batcher's runner thread as its batch completes, instead of
    /// queuing it to the thread pool. Saves the wake-up of a sleeping pool thread (tens of microseconds on a VM) for
    /// callers that await each frame, at the price that the runner runs the caller's code up to its next await before
    /// it forms the next batch: use it only when that code is short and never blocks (a caller that blocks on
    /// another submit deadlocks the runner). Callers that poll <c>IsCompleted</c> are unaffected either way.
    /// </summary>
    public bool InlineContinuations { get; init; }

    /// <summary>
    /// The submitting thread runs the batches: a submit does not wake the runner thread, and the caller calls
    /// <see cref="DynamicBatcher.RunQueued"/> once it has submitted what it had (a routing loop, after each round of
    /// samples), which runs every queued frame on that thread in batches of up to <see cref="MaxBatchSize"/>. A
    /// batch is then what arrived together, with no hand-over to another thread and back: the cheapest path when
    /// one loop submits everything. Needs <see cref="MaxQueueDelayMicroseconds"/> 0 (the caller, not a timer, decides
    /// when a batch runs). The runner thread remains for <see cref="DynamicBatcher.DrainAsync"/>.
    /// </summary>
    public bool CallerRuns { get; init; }

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

        if (CallerRuns && MaxQueueDelayMicroseconds != 0)
        {
            throw new ArgumentException($"model '{model}': CallerRuns needs MaxQueueDelayMicroseconds 0 (was {MaxQueueDelayMicroseconds}): the caller decides when a batch runs");
        }

        if (QueueCapacity < MaxBatchSize)
        {
            throw new ArgumentException($"model '{model}': QueueCapacity ({QueueCapacity}) must be ≥ MaxBatchSize ({MaxBatchSize})");
        }
    }
}
