using System.Diagnostics;

namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// Batches single-frame submits for one model: a batch runs when it holds <see cref="DynamicBatcherOptions.MaxBatchSize"/>
/// frames or when its oldest frame has waited <see cref="DynamicBatcherOptions.MaxQueueDelayMicroseconds"/>; one
/// <see cref="IBatchExecutor.Execute"/> per batch on a dedicated runner thread; each caller gets its own result.
/// Frames are validated before they are queued, so a bad frame fails alone.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    // Below this, the runner spins to the deadline instead of sleeping: timers cannot wake it that precisely.
    private static readonly TimeSpan SpinThreshold = TimeSpan.FromMilliseconds(2);

    private readonly IBatchExecutor _executor;
    private readonly DynamicBatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxDelay;
    private readonly BatchRequest?[] _queue;
    private readonly BatchRequest[] _batch;
    private readonly float[] _frames;
    private readonly float[] _results;
    private readonly SemaphoreSlim _space;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ITimer _deadlineTimer;
    private readonly Stack<BatchRequest> _pool = new();
    private readonly Lock _gate = new();
    private readonly Thread _runner;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _closedMessage;
    private int _head;
    private int _count;
    private int _runnerAsleep;
    private volatile bool _closing;

    public DynamicBatcher(IBatchExecutor executor, DynamicBatcherOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(executor.ModelName);
        _executor = executor;
        _options = options;
        _time = time ?? TimeProvider.System;
        _maxBatch = Math.Min(options.MaxBatchSize, executor.MaxBatchSize);
        _maxDelay = TimeSpan.FromMicroseconds(options.MaxQueueDelayMicroseconds);
        _queue = new BatchRequest?[options.QueueCapacity];
        _batch = new BatchRequest[_maxBatch];
        _frames = new float[_maxBatch * executor.FrameLength];
        _results = new float[_maxBatch * executor.ResultLength];
        _space = new SemaphoreSlim(options.QueueCapacity, options.QueueCapacity);
        _deadlineTimer = _time.CreateTimer(static state => ((AutoResetEvent)state!).Set(), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _closedMessage = $"model '{executor.ModelName}': the batcher is shut down and accepts no more frames";
        Metrics = new BatcherMetrics(executor.ModelName, _maxBatch);
        _runner = new Thread(RunLoop) { IsBackground = true, Name = $"batcher:{executor.ModelName}" };
        _runner.Start();
    }

    public BatcherMetrics Metrics { get; }

    public string ModelName => _executor.ModelName;

    public int FrameLength => _executor.FrameLength;

    public int ResultLength => _executor.ResultLength;

    /// <summary>
    /// Queues a copy of <paramref name="frame"/>; when its batch has run, writes <see cref="ResultLength"/> floats
    /// into <paramref name="result"/> and completes. Waits for room when the queue is full.
    /// </summary>
    /// <exception cref="FrameRejectedException">The frame has the wrong length or a non-finite value (policy Reject).</exception>
    public ValueTask<InferenceTiming> SubmitAsync(ReadOnlyMemory<float> frame, Memory<float> result, CancellationToken cancellationToken = default)
    {
        if (_closing)
        {
            return ValueTask.FromException<InferenceTiming>(new InvalidOperationException(_closedMessage));
        }

        if (Validate(frame.Span, result.Length) is { } rejection)
        {
            return ValueTask.FromException<InferenceTiming>(rejection);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<InferenceTiming>(cancellationToken);
        }

        return _space.Wait(0)
            ? Enqueue(frame.Span, result, cancellationToken)
            : SubmitWhenRoomAsync(frame, result, cancellationToken);
    }

    /// <summary>Stops accepting frames, runs every queued frame, and stops the runner.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        _closing = true;
        _wake.Set();
        return _stopped.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync().ConfigureAwait(false);
        _deadlineTimer.Dispose();
        _space.Dispose();
        _wake.Dispose();
    }

    internal void Return(BatchRequest request)
    {
        lock (_gate)
        {
            _pool.Push(request);
        }
    }

    internal void CountCancelled() => Metrics.Cancelled();

    private async ValueTask<InferenceTiming> SubmitWhenRoomAsync(ReadOnlyMemory<float> frame, Memory<float> result, CancellationToken cancellationToken)
    {
        await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_closing)
        {
            _space.Release();
            throw new InvalidOperationException(_closedMessage);
        }

        return await Enqueue(frame.Span, result, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<InferenceTiming> Enqueue(ReadOnlySpan<float> frame, Memory<float> result, CancellationToken cancellationToken)
    {
        BatchRequest? request;
        lock (_gate)
        {
            request = _pool.Count > 0 ? _pool.Pop() : new BatchRequest(this, _executor.FrameLength);
        }

        CopyFrame(frame, request.Frame);
        request.Arm(result, _time.GetTimestamp(), cancellationToken);
        var task = new ValueTask<InferenceTiming>(request, request.Version);
        lock (_gate)
        {
            // Checked under the lock the runner exits under, so no frame is queued after the runner has left.
            if (!_closing)
            {
                _queue[(_head + _count) % _queue.Length] = request;
                _count++;
                request = null;
            }
        }

        if (request is not null)
        {
            _space.Release();
            request.TryTake();
            request.Fail(new InvalidOperationException(_closedMessage));
            request.Release();
            return task;
        }

        Metrics.QueueChanged(1);

        // Signal the runner only when it sleeps (or is about to): a kernel wake per frame would cost more than the frame.
        if (Interlocked.CompareExchange(ref _runnerAsleep, 0, 1) == 1)
        {
            _wake.Set();
        }

        return task;
    }

    private FrameRejectedException? Validate(ReadOnlySpan<float> frame, int resultLength)
    {
        if (frame.Length != _executor.FrameLength)
        {
            Metrics.Reject(RejectionReason.WrongLength);
            return new FrameRejectedException(_executor.ModelName, RejectionReason.WrongLength, $"frame has {frame.Length} values, expected {_executor.FrameLength}");
        }

        if (resultLength < _executor.ResultLength)
        {
            Metrics.Reject(RejectionReason.ResultTooSmall);
            return new FrameRejectedException(_executor.ModelName, RejectionReason.ResultTooSmall, $"result buffer holds {resultLength} values, the model writes {_executor.ResultLength}");
        }

        if (_options.NonFinite == NonFinitePolicy.Reject)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                if (!float.IsFinite(frame[i]))
                {
                    Metrics.Reject(RejectionReason.NonFinite);
                    return new FrameRejectedException(_executor.ModelName, RejectionReason.NonFinite, $"frame value {i} is {frame[i]} (NaN and infinities are rejected)");
                }
            }
        }

        return null;
    }

    private void CopyFrame(ReadOnlySpan<float> frame, float[] target)
    {
        frame.CopyTo(target);
        if (_options.NonFinite != NonFinitePolicy.ReplaceWithZero)
        {
            return;
        }

        var replaced = false;
        for (var i = 0; i < target.Length; i++)
        {
            if (!float.IsFinite(target[i]))
            {
                target[i] = 0f;
                replaced = true;
            }
        }

        if (replaced)
        {
            Metrics.Replaced();
        }
    }

    private void RunLoop()
    {
        try
        {
            while (true)
            {
                int queued;
                long oldest;
                bool finished;
                lock (_gate)
                {
                    queued = _count;
                    oldest = queued > 0 ? _queue[_head]!.EnqueuedAt : 0;
                    finished = queued == 0 && _closing;
                }

                if (finished)
                {
                    return;
                }

                if (queued == 0)
                {
                    Sleep(untilFramesReach: 1);
                    continue;
                }

                if (queued < _maxBatch && !_closing && _maxDelay > TimeSpan.Zero)
                {
                    var remaining = _maxDelay - _time.GetElapsedTime(oldest);
                    if (remaining > TimeSpan.Zero)
                    {
                        if (remaining >= SpinThreshold || _time != TimeProvider.System)
                        {
                            // Sleep until the deadline or the next submit, then look again.
                            _deadlineTimer.Change(remaining, Timeout.InfiniteTimeSpan);
                            Sleep(untilFramesReach: queued + 1);
                            continue;
                        }

                        SpinUntil(oldest);
                        continue;
                    }
                }

                RunBatch();
            }
        }
        finally
        {
            FailQueued();
            _stopped.TrySetResult();
        }
    }

    /// <summary>Sleeps until a producer, the deadline timer or a drain wakes the runner, unless frames arrived meanwhile.</summary>
    private void Sleep(int untilFramesReach)
    {
        // The flag is raised with a full fence before the queue is re-read, and producers clear it with a full
        // fence after queuing: either the runner sees the new frame here, or the producer sees the flag and wakes it.
        Interlocked.Exchange(ref _runnerAsleep, 1);
        if (Volatile.Read(ref _count) >= untilFramesReach || _closing)
        {
            Interlocked.Exchange(ref _runnerAsleep, 0);
            return;
        }

        _wake.WaitOne();
        Interlocked.Exchange(ref _runnerAsleep, 0);
    }

    private void SpinUntil(long oldest)
    {
        var spinner = default(SpinWait);
        while (_time.GetElapsedTime(oldest) < _maxDelay && Volatile.Read(ref _count) < _maxBatch && !_closing)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void RunBatch()
    {
        var size = 0;
        lock (_gate)
        {
            while (_count > 0 && size < _maxBatch)
            {
                var request = _queue[_head]!;
                _queue[_head] = null;
                _head = (_head + 1) % _queue.Length;
                _count--;
                _space.Release();
                Metrics.QueueChanged(-1);
                if (request.TryTake())
                {
                    _batch[size++] = request;
                }
                else
                {
                    request.Release();
                }
            }
        }

        if (size == 0)
        {
            return;
        }

        var frameLength = _executor.FrameLength;
        var start = _time.GetTimestamp();
        for (var i = 0; i < size; i++)
        {
            _batch[i].Frame.AsSpan().CopyTo(_frames.AsSpan(i * frameLength, frameLength));
            Metrics.FrameQueued((long)_time.GetElapsedTime(_batch[i].EnqueuedAt, start).TotalMicroseconds);
        }

        Exception? failure = null;
        try
        {
            _executor.Execute(_frames.AsSpan(0, size * frameLength), size, _results.AsSpan(0, size * _executor.ResultLength));
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        var end = _time.GetTimestamp();
        var runTime = _time.GetElapsedTime(start, end);
        Metrics.BatchRan(size, (long)runTime.TotalMicroseconds, failure is not null);
        var resultLength = _executor.ResultLength;
        for (var i = 0; i < size; i++)
        {
            var request = _batch[i];
            _batch[i] = null!;
            if (failure is null)
            {
                _results.AsSpan(i * resultLength, resultLength).CopyTo(request.Result.Span);
                request.Complete(new InferenceTiming(_time.GetElapsedTime(request.EnqueuedAt, start), runTime, size));
            }
            else
            {
                request.Fail(new InvalidOperationException($"model '{_executor.ModelName}': a batch of {size} frames failed: {failure.Message}", failure));
            }

            request.Release();
        }
    }

    private void FailQueued()
    {
        // Reached only if the runner dies (a bug): callers must not wait forever.
        lock (_gate)
        {
            while (_count > 0)
            {
                var request = _queue[_head]!;
                _queue[_head] = null;
                _head = (_head + 1) % _queue.Length;
                _count--;
                if (request.TryTake())
                {
                    request.Fail(new InvalidOperationException(_closedMessage));
                }

                request.Release();
            }
        }
    }
}
