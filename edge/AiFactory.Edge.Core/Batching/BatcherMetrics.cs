using System.Diagnostics.Metrics;

namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// What one model's batcher did: batch sizes, queue wait, run time, rejections and failures. Cheap to
/// update from the runner thread and safe to read from any thread; also published on the
/// <see cref="MeterName"/> meter, tagged with the model name.
/// </summary>
public sealed class BatcherMetrics
{
    public const string MeterName = "AiFactory.Edge.Batching";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSizeInstrument = Meter.CreateHistogram<int>("aifactory.batcher.batch_size", "{frame}");
    private static readonly Histogram<double> QueueWaitInstrument = Meter.CreateHistogram<double>("aifactory.batcher.queue_wait", "us");
    private static readonly Histogram<double> RunTimeInstrument = Meter.CreateHistogram<double>("aifactory.batcher.run_time", "us");
    private static readonly Counter<long> RejectionsInstrument = Meter.CreateCounter<long>("aifactory.batcher.rejections", "{frame}");
    private static readonly Counter<long> CompletedInstrument = Meter.CreateCounter<long>("aifactory.batcher.frames_completed", "{frame}");
    private static readonly Counter<long> FailuresInstrument = Meter.CreateCounter<long>("aifactory.batcher.executor_failures", "{batch}");
    private static readonly UpDownCounter<int> QueueDepthInstrument = Meter.CreateUpDownCounter<int>("aifactory.batcher.queue_depth", "{frame}");

    private readonly long[] _batchSizes;
    private readonly long[] _rejections = new long[Enum.GetValues<RejectionReason>().Length];
    private readonly KeyValuePair<string, object?> _modelTag;
    private long _framesCompleted;
    private long _batchesRun;
    private long _framesBatched;
    private long _executorFailures;
    private long _framesCancelled;
    private long _callbackFailures;
    private long _nonFiniteReplaced;
    private long _nonFiniteResults;
    private int _queueDepth;

    public BatcherMetrics(string model, int maxBatchSize)
    {
        Model = model;
        _batchSizes = new long[maxBatchSize + 1];
        _modelTag = new KeyValuePair<string, object?>("model", model);
    }

    public string Model { get; }

    public LatencyHistogram QueueWait { get; } = new();

    public LatencyHistogram RunTime { get; } = new();

    public long FramesCompleted => Interlocked.Read(ref _framesCompleted);

    public long BatchesRun => Interlocked.Read(ref _batchesRun);

    public long ExecutorFailures => Interlocked.Read(ref _executorFailures);

    public long FramesCancelled => Interlocked.Read(ref _framesCancelled);

    /// <summary>Times the <see cref="DynamicBatcher.BatchCompleted"/> callback threw (caught; the batcher went on).</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    public long NonFiniteReplaced => Interlocked.Read(ref _nonFiniteReplaced);

    /// <summary>Frames whose result from the model held NaN or an infinity: each failed alone, naming the value.</summary>
    public long NonFiniteResults => Interlocked.Read(ref _nonFiniteResults);

    public int QueueDepth => Volatile.Read(ref _queueDepth);

    public long TotalRejections
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _rejections.Length; i++)
            {
                sum += Interlocked.Read(ref _rejections[i]);
            }

            return sum;
        }
    }

    public double MeanBatchSize => BatchesRun == 0 ? 0 : (double)Interlocked.Read(ref _framesBatched) / BatchesRun;

    /// <summary>Batches run with exactly <paramref name="size"/> frames.</summary>
    public long BatchesOfSize(int size) => (uint)size < (uint)_batchSizes.Length ? Interlocked.Read(ref _batchSizes[size]) : 0;

    public long Rejections(RejectionReason reason) => Interlocked.Read(ref _rejections[(int)reason]);

    internal void QueueChanged(int delta)
    {
        Interlocked.Add(ref _queueDepth, delta);
        QueueDepthInstrument.Add(delta, _modelTag);
    }

    internal void Reject(RejectionReason reason)
    {
        Interlocked.Increment(ref _rejections[(int)reason]);
        RejectionsInstrument.Add(1, _modelTag, new KeyValuePair<string, object?>("reason", reason.ToString()));
    }

    internal void Replaced() => Interlocked.Increment(ref _nonFiniteReplaced);

    internal void NonFiniteResult() => Interlocked.Increment(ref _nonFiniteResults);

    internal void Cancelled() => Interlocked.Increment(ref _framesCancelled);

    internal void CallbackFailed() => Interlocked.Increment(ref _callbackFailures);

    /// <summary><paramref name="frames"/> frames of one submit waited the same time: one histogram update for all of them.</summary>
    internal void FramesQueued(long waitMicroseconds, int frames)
    {
        QueueWait.Record(waitMicroseconds, frames);
        if (QueueWaitInstrument.Enabled)
        {
            for (var i = 0; i < frames; i++)
            {
                QueueWaitInstrument.Record(waitMicroseconds, _modelTag);
            }
        }
    }

    internal void BatchRan(int size, long runMicroseconds, bool failed)
    {
        Interlocked.Increment(ref _batchSizes[size]);
        Interlocked.Increment(ref _batchesRun);
        Interlocked.Add(ref _framesBatched, size);
        if (failed)
        {
            Interlocked.Increment(ref _executorFailures);
            FailuresInstrument.Add(1, _modelTag);
        }
        else
        {
            Interlocked.Add(ref _framesCompleted, size);
            CompletedInstrument.Add(size, _modelTag);
        }

        RunTime.Record(runMicroseconds);
        BatchSizeInstrument.Record(size, _modelTag);
        RunTimeInstrument.Record(runMicroseconds, _modelTag);
    }
}
