using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// Batches submits of one frame (or of several, <see cref="SubmitManyAsync"/>) for one model: a batch runs when it holds <see cref="DynamicBatcherOptions.MaxBatchSize"/>
/// frames or when its oldest frame has waited <see cref="DynamicBatcherOptions.MaxQueueDelayMicroseconds"/>; one
/// <see cref="IBatchExecutor.Execute"/> per batch on a dedicated runner thread; each caller gets its own result.
/// Frames are validated before they are queued, so a bad frame fails alone.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    // Below this, the runner spins to the deadline instead of sleeping: timers cannot wake it that precisely.
    private static readonly TimeSpan SpinThreshold = TimeSpan.FromMilliseconds(2);

    // How long an idle runner looks for the next submit before it sleeps.
    private static readonly TimeSpan IdleSpin = TimeSpan.FromMicroseconds(20);
    private static readonly long IdleSpinTicks = (long)(IdleSpin.TotalSeconds * Stopwatch.Frequency);

    private readonly IBatchExecutor _executor;
    private readonly DynamicBatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxDelay;
    private readonly BatchRequest?[] _queue;
    private readonly BatchBuffer _batch;
    private readonly QueueSpace _space;
    private readonly FrameValidator _validator;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ITimer _deadlineTimer;
    private readonly Stack<BatchRequest> _pool = new();
    private readonly Lock _gate = new();

    // Held while a batch is formed and run: by the runner thread, or by a caller in RunQueued.
    private readonly Lock _running = new();
    private readonly Thread _runner;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _closedMessage;
    private int _head;
    private int _count;
    private int _queuedFrames;
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
        _batch = new BatchBuffer(_maxBatch, executor.FrameLength, executor.ResultLength);
        _space = new QueueSpace(options.QueueCapacity);
        _deadlineTimer = _time.CreateTimer(static state => ((AutoResetEvent)state!).Set(), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _closedMessage = $"model '{executor.ModelName}': the batcher is shut down and accepts no more frames";
        Metrics = new BatcherMetrics(executor.ModelName, _maxBatch);
        _validator = new FrameValidator(executor.ModelName, executor.FrameLength, executor.ResultLength, options.NonFinite, Metrics);
        _runner = new Thread(RunLoop) { IsBackground = true, Name = $"batcher:{executor.ModelName}" };
        _runner.Start();
    }

    public BatcherMetrics Metrics { get; }

    /// <summary>
    /// Called on the thread that ran the batch (the runner, or a caller in <see cref="RunQueued"/>) after every batch
    /// has handed out its results, e.g. to wake a loop that collects finished frames by polling <c>IsCompleted</c>.
    /// Must be quick and must not block; an exception it throws is caught and counted in
    /// <see cref="BatcherMetrics.CallbackFailures"/>.
    /// </summary>
    public Action? BatchCompleted { get; set; }

    public string ModelName => _executor.ModelName;

    /// <summary>Whether the submitting thread runs the batches (<see cref="DynamicBatcherOptions.CallerRuns"/>).</summary>
    public bool CallerRuns => _options.CallerRuns;

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

        if (_validator.Check(frame.Span, 1, result.Length) is { } rejection)
        {
            return ValueTask.FromException<InferenceTiming>(rejection);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<InferenceTiming>(cancellationToken);
        }

        return _space.TryTake(1)
            ? Enqueue(frame, 1, result, cancellationToken)
            : SubmitWhenRoomAsync(frame, 1, result, cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="count"/> frames (row-major in <paramref name="frames"/>) as one submit: the hand-off,
    /// the awaitable and the wake-up are paid once for all of them. The frames are read in place when their batch
    /// forms, so <paramref name="frames"/> must stay unchanged until the call completes; the results land row by row
    /// in <paramref name="results"/> (<see cref="ResultLength"/> floats each). Every frame is validated first; if any
    /// is refused, none is queued and the error names it. The rows may run in more than one batch; the returned
    /// timing is the first row's queue wait, the summed run time of those batches, and the last batch's size.
    /// </summary>
    /// <exception cref="FrameRejectedException">A frame has the wrong length or a non-finite value (policy Reject).</exception>
    public ValueTask<InferenceTiming> SubmitManyAsync(ReadOnlyMemory<float> frames, int count, Memory<float> results, CancellationToken cancellationToken = default)
    {
        if (_closing)
        {
            return ValueTask.FromException<InferenceTiming>(new InvalidOperationException(_closedMessage));
        }

        if (count < 1 || count > _options.QueueCapacity)
        {
            return ValueTask.FromException<InferenceTiming>(new ArgumentOutOfRangeException(nameof(count), count, $"model '{_executor.ModelName}': a submit holds 1 to QueueCapacity ({_options.QueueCapacity}) frames"));
        }

        if (_validator.Check(frames.Span, count, results.Length) is { } rejection)
        {
            return ValueTask.FromException<InferenceTiming>(rejection);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<InferenceTiming>(cancellationToken);
        }

        return _space.TryTake(count)
            ? Enqueue(frames, count, results, cancellationToken)
            : SubmitWhenRoomAsync(frames, count, results, cancellationToken);
    }

    /// <summary>Stops accepting frames, runs every queued frame, and stops the runner.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        _closing = true;
        _wake.Set();
        return _stopped.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs every frame queued now on the calling thread, in batches of up to <see cref="DynamicBatcherOptions.MaxBatchSize"/>,
    /// without waiting for <see cref="DynamicBatcherOptions.MaxQueueDelayMicroseconds"/>; answers how many batches ran.
    /// With <see cref="DynamicBatcherOptions.CallerRuns"/> this is how batches run; otherwise it lets a caller that is
    /// about to wait for its own frame run it instead of waiting for the runner. Waits while another thread runs a batch.
    /// </summary>
    public int RunQueued()
    {
        var batches = 0;
        lock (_running)
        {
            while (Volatile.Read(ref _queuedFrames) > 0)
            {
                RunBatch();
                batches++;
            }
        }

        return batches;
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

    private async ValueTask<InferenceTiming> SubmitWhenRoomAsync(ReadOnlyMemory<float> frames, int count, Memory<float> results, CancellationToken cancellationToken)
    {
        if (_options.CallerRuns)
        {
            // Nobody else runs the queue: make room by running it here.
            RunQueued();
        }

        await _space.TakeAsync(count, cancellationToken).ConfigureAwait(false);
        if (_closing)
        {
            _space.Give(count);
            throw new InvalidOperationException(_closedMessage);
        }

        return await Enqueue(frames, count, results, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<InferenceTiming> Enqueue(ReadOnlyMemory<float> frames, int count, Memory<float> results, CancellationToken cancellationToken)
    {
        BatchRequest? request;
        lock (_gate)
        {
            request = _pool.Count > 0 ? _pool.Pop() : new BatchRequest(this, _executor.FrameLength, _options.InlineContinuations);
        }

        if (count == 1)
        {
            // One frame is copied now, so the caller may reuse its buffer at once.
            _validator.Copy(frames.Span, request.Frame);
            request.Arm(results, _time.GetTimestamp(), cancellationToken);
        }
        else
        {
            request.Arm(results, _time.GetTimestamp(), cancellationToken, count, frames);
        }

        var task = new ValueTask<InferenceTiming>(request, request.Version);
        lock (_gate)
        {
            // Checked under the lock the runner exits under, so no frame is queued after the runner has left.
            if (!_closing)
            {
                _queue[(_head + _count) % _queue.Length] = request;
                _count++;
                _queuedFrames += count;
                request = null;
            }
        }

        if (request is not null)
        {
            _space.Give(count);
            request.TryTake();
            request.Fail(new InvalidOperationException(_closedMessage));
            request.Release();
            return task;
        }

        Metrics.QueueChanged(count);

        // Signal the runner only when it sleeps (or is about to): a kernel wake per frame would cost more than the frame.
        // With CallerRuns the submitting thread runs the queue itself.
        if (!_options.CallerRuns && Interlocked.CompareExchange(ref _runnerAsleep, 0, 1) == 1)
        {
            _wake.Set();
        }

        return task;
    }

    // Entered once and never left: compiled optimised at once rather than running as tier-0 code until OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                    queued = _queuedFrames;
                    oldest = queued > 0 ? _queue[_head]!.EnqueuedAt : 0;
                    finished = queued == 0 && _closing;
                }

                if (finished)
                {
                    return;
                }

                if (_options.CallerRuns && !_closing)
                {
                    // The submitting thread runs the batches; the runner only runs what a drain leaves.
                    SleepForDrain();
                    continue;
                }

                if (queued == 0)
                {
                    // Under load the next submit is usually microseconds away: look for it briefly before paying
                    // for a kernel sleep and a wake-up.
                    if (!SpinForWork())
                    {
                        Sleep(untilFramesReach: 1);
                    }

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

                lock (_running)
                {
                    RunBatch();
                }
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
        if (Volatile.Read(ref _queuedFrames) >= untilFramesReach || _closing)
        {
            Interlocked.Exchange(ref _runnerAsleep, 0);
            return;
        }

        _wake.WaitOne();
        Interlocked.Exchange(ref _runnerAsleep, 0);
    }

    /// <summary>With CallerRuns: sleeps until a drain starts (DrainAsync sets the event after raising the flag).</summary>
    private void SleepForDrain()
    {
        if (!_closing)
        {
            _wake.WaitOne();
        }
    }

    /// <summary>Spins up to <see cref="IdleSpin"/> for a frame or a drain; true when one came.</summary>
    private bool SpinForWork()
    {
        if (_time != TimeProvider.System)
        {
            return false;
        }

        var until = Stopwatch.GetTimestamp() + IdleSpinTicks;
        while (Stopwatch.GetTimestamp() < until)
        {
            if (Volatile.Read(ref _queuedFrames) > 0 || _closing)
            {
                return true;
            }

            Thread.SpinWait(20);
        }

        return false;
    }

    private void SpinUntil(long oldest)
    {
        // Pause instructions only: yielding (sched_yield) on every turn costs a system call each, which on a
        // virtual machine costs more than the spin it replaces and starves the other processes on a 2-core PC.
        while (_time.GetElapsedTime(oldest) < _maxDelay && Volatile.Read(ref _queuedFrames) < _maxBatch && !_closing)
        {
            Thread.SpinWait(30);
        }
    }

    private void RunBatch()
    {
        var freed = 0;
        lock (_gate)
        {
            while (_count > 0 && _batch.Rows < _maxBatch)
            {
                var request = _queue[_head]!;
                if (request.NextRow == 0 && !request.TryTake())
                {
                    // Cancelled while queued: its room goes back, its frames never run.
                    Dequeue();
                    freed += request.Rows;
                    _queuedFrames -= request.Rows;
                    request.Release();
                    continue;
                }

                var take = Math.Min(request.Rows - request.NextRow, _maxBatch - _batch.Rows);
                _batch.Add(request, request.NextRow, take);
                request.NextRow += take;
                freed += take;
                _queuedFrames -= take;
                if (request.NextRow == request.Rows)
                {
                    Dequeue();
                }
            }
        }

        // Room and queue depth are given back once per batch, not per frame.
        _space.Give(freed);
        if (freed > 0)
        {
            Metrics.QueueChanged(-freed);
        }

        var rows = _batch.Rows;
        if (rows == 0)
        {
            return;
        }

        var start = _time.GetTimestamp();
        _batch.Fill(_validator, _time, start, Metrics);
        Exception? failure = null;
        try
        {
            _executor.Execute(_batch.Frames, rows, _batch.Results);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        var runTime = _time.GetElapsedTime(start, _time.GetTimestamp());
        Metrics.BatchRan(rows, (long)runTime.TotalMicroseconds, failure is not null);
        _batch.Complete(runTime, failure, _executor.ModelName, Metrics);
        try
        {
            BatchCompleted?.Invoke();
        }
        catch (Exception)
        {
            // The callback is the caller's code on the runner (or RunQueued's) thread: a throw there must not end the
            // runner and strand every queued frame. Counted; the results are already handed out.
            Metrics.CallbackFailed();
        }
    }

    private void Dequeue()
    {
        _queue[_head] = null;
        _head = (_head + 1) % _queue.Length;
        _count--;
    }

    private void FailQueued()
    {
        // Reached only if the runner dies (a bug): callers must not wait forever.
        lock (_gate)
        {
            while (_count > 0)
            {
                var request = _queue[_head]!;
                Dequeue();
                // A multi-frame submit already partly run was taken with its first rows.
                if (request.NextRow > 0 || request.TryTake())
                {
                    request.Fail(new InvalidOperationException(_closedMessage));
                }

                request.Release();
            }
        }
    }
}
