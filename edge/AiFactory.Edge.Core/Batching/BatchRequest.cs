using System.Threading.Tasks.Sources;

namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// One queued submit of one frame (copied into <see cref="Frame"/>) or of several (read in place from
/// <see cref="Source"/> when their batch forms): a pooled, reusable awaitable, so a steady stream of submits
/// allocates nothing. A multi-frame submit may be split across batches; it completes when its last row has run.
/// </summary>
internal sealed class BatchRequest : IValueTaskSource<InferenceTiming>
{
    public const int Idle = 0;
    public const int Queued = 1;
    public const int Taken = 2;
    public const int Cancelled = 3;

    private static readonly Action<object?, CancellationToken> OnCancel = static (state, _) => ((BatchRequest)state!).TryCancel();

    private readonly DynamicBatcher _owner;
    private ManualResetValueTaskSourceCore<InferenceTiming> _core;
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;
    private int _state;
    private int _holds;

    public BatchRequest(DynamicBatcher owner, int frameLength, bool inlineContinuations)
    {
        _owner = owner;
        Frame = new float[frameLength];
        // Inline: the continuation runs inside Complete/Fail on the runner thread (see DynamicBatcherOptions.InlineContinuations).
        _core.RunContinuationsAsynchronously = !inlineContinuations;
    }

    public float[] Frame { get; }

    public Memory<float> Result { get; private set; }

    public long EnqueuedAt { get; private set; }

    /// <summary>Frames in this submit.</summary>
    public int Rows { get; private set; }

    /// <summary>The caller's frames for a multi-frame submit; empty for a single frame (see <see cref="Frame"/>).</summary>
    public ReadOnlyMemory<float> Source { get; private set; }

    /// <summary>Rows handed to batches so far (runner only).</summary>
    public int NextRow { get; set; }

    /// <summary>Rows whose batch has run (runner only).</summary>
    public int RowsDone { get; set; }

    /// <summary>How long the first row waited, and the run time of every batch the rows ran in (runner only).</summary>
    public TimeSpan FirstWait { get; set; }

    public TimeSpan RunTotal { get; set; }

    /// <summary>The first failure of a batch holding some of the rows (runner only).</summary>
    public Exception? Failure { get; set; }

    public short Version => _core.Version;

    public void Arm(Memory<float> result, long enqueuedAt, CancellationToken cancellationToken, int rows = 1, ReadOnlyMemory<float> source = default)
    {
        Result = result;
        EnqueuedAt = enqueuedAt;
        Rows = rows;
        Source = source;
        NextRow = 0;
        RowsDone = 0;
        FirstWait = default;
        RunTotal = default;
        Failure = null;
        _token = cancellationToken;
        // Two holders: the caller (until it reads the result) and the queue (until the runner dequeues it).
        // The request goes back to the pool only when both have let go, so a cancelled request still sitting
        // in the queue is never reused under the runner's feet.
        Volatile.Write(ref _holds, 2);
        Volatile.Write(ref _state, Queued);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(OnCancel, this);
        }
    }

    /// <summary>The runner claims the frame for a batch; false when the caller cancelled first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public void Complete(InferenceTiming timing)
    {
        _registration.Dispose();
        _core.SetResult(timing);
    }

    public void Fail(Exception error)
    {
        _registration.Dispose();
        _core.SetException(error);
    }

    public InferenceTiming GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Result = default;
            Source = default;
            Failure = null;
            _token = default;
            _registration = default;
            Release();
        }
    }

    /// <summary>One holder lets go; the last one returns the request to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
        {
            Volatile.Write(ref _state, Idle);
            _owner.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private void TryCancel()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            _owner.CountCancelled();
            _core.SetException(new OperationCanceledException(_token));
        }
    }
}
