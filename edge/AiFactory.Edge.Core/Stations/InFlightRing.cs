using AiFactory.Edge.Core.Batching;

namespace AiFactory.Edge.Core.Stations;

/// <summary>
/// Frames submitted to the batcher but not yet answered, oldest first, each with its own result buffer.
/// Keeping many in flight lets the batcher form batches; taking them oldest first keeps results in order.
/// </summary>
internal sealed class InFlightRing<TMeta>
    where TMeta : struct
{
    private readonly ValueTask<InferenceTiming>[] _tasks;
    private readonly float[][] _results;
    private readonly TMeta[] _meta;
    private DynamicBatcher? _batcher;
    private int _head;

    public InFlightRing(int capacity, int resultLength)
    {
        _tasks = new ValueTask<InferenceTiming>[capacity];
        _results = new float[capacity][];
        _meta = new TMeta[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _results[i] = new float[resultLength];
        }
    }

    public int Count { get; private set; }

    public bool IsFull => Count == _tasks.Length;

    /// <summary>True when the oldest frame's result is there, so taking it does not wait.</summary>
    public bool OldestCompleted => Count > 0 && _tasks[_head].IsCompleted;

    private float[] NextResultBuffer => _results[(_head + Count) % _tasks.Length];

    /// <summary>Submits a frame whose result lands in this ring's next buffer; a refused submit becomes that frame's error.</summary>
    public void Submit(DynamicBatcher batcher, ReadOnlyMemory<float> frame, TMeta meta, CancellationToken cancellationToken)
    {
        _batcher = batcher;
        ValueTask<InferenceTiming> task;
        try
        {
            task = batcher.SubmitAsync(frame, NextResultBuffer, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            task = ValueTask.FromException<InferenceTiming>(ex);
        }

        Add(task, meta);
    }

    private void Add(ValueTask<InferenceTiming> task, TMeta meta)
    {
        var slot = (_head + Count) % _tasks.Length;
        _tasks[slot] = task;
        _meta[slot] = meta;
        Count++;
    }

    /// <summary>Hands every result already there, oldest first, to <paramref name="deliver"/> without waiting; answers how many.</summary>
    public async ValueTask<int> DeliverCompletedAsync(Action<Completed> deliver)
    {
        var delivered = 0;
        while (OldestCompleted)
        {
            deliver(await TakeOldestAsync().ConfigureAwait(false));
            delivered++;
        }

        return delivered;
    }

    /// <summary>Waits for the oldest frame; the returned buffer is valid until the next <see cref="Add"/>.</summary>
    public async ValueTask<Completed> TakeOldestAsync()
    {
        var slot = _head;
        var meta = _meta[slot];
        var result = _results[slot];
        InferenceTiming timing = default;
        Exception? error = null;
        if (!_tasks[slot].IsCompleted && _batcher is { CallerRuns: true })
        {
            // With CallerRuns no other thread runs the queue: the frame may still be in it.
            _batcher.RunQueued();
        }

        try
        {
            timing = await _tasks[slot].ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex;
        }

        _tasks[slot] = default;
        _head = (_head + 1) % _tasks.Length;
        Count--;
        return new Completed(meta, result, timing, error);
    }

    public readonly record struct Completed(TMeta Meta, float[] Result, InferenceTiming Timing, Exception? Error);
}
