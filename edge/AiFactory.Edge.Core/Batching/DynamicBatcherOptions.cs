namespace AiFactory.Edge.Core.Batching;

/// <summary>How a <see cref="DynamicBatcher"/> forms batches. The defaults live here; the CLI and the line read them from here.</summary>
public sealed class DynamicBatcherOptions
{
    public const int DefaultMaxBatchSize = 32;

    public const int DefaultMaxQueueDelayMicroseconds = 500;

    /// <summary>
    /// A line's defaults (the agent's <c>run</c>): the routing loop runs its own batches (<see cref="CallerRuns"/>, no
    /// queue delay), holding a few samples up to <see cref="MaxHoldMicroseconds"/> for a batch's worth.
    /// </summary>
    public static DynamicBatcherOptions Line { get; } = new() { MaxQueueDelayMicroseconds = 0, CallerRuns = true };

    /// <summary>A batch runs as soon as it holds this many frames.</summary>
    public int MaxBatchSize { get; init; } = DefaultMaxBatchSize;

    /// <summary>Or as soon as its oldest frame has waited this long; 0 runs whatever is queued at once.</summary>
    public int MaxQueueDelayMicroseconds { get; init; } = DefaultMaxQueueDelayMicroseconds;

    /// <summary>Frames queued at most; further submits wait for room (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>
    /// With <see cref="CallerRuns"/>: how long the routing loop may hold fewer than a batch's worth of samples
    /// (<see cref="MaxBatchSize"/> frames of the widest station) while they keep coming, so that they are scored in
    /// one batch and their verdicts leave together; 0: every round at once. Up to 1,000,000.
    /// </summary>
    public int MaxHoldMicroseconds { get; init; } = 1000;

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

        if (MaxHoldMicroseconds is < 0 or > 1_000_000)
        {
            throw new ArgumentException($"model '{model}': MaxHoldMicroseconds must be between 0 and 1000000 (was {MaxHoldMicroseconds})");
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
