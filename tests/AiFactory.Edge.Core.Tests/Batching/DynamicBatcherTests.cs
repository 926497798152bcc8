using AiFactory.Edge.Core.Batching;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Batching;

[Trait("Category", "Unit")]
public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Submit_WhenBatchIsFull_DispatchesWithoutWaiting()
    {
        // The clock never moves, so only a full batch can run.
        var clock = new FakeTimeProvider();
        var executor = new SumExecutor(maxBatch: 4);
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 10_000_000 }, clock);
        var results = Enumerable.Range(0, 4).Select(_ => new float[2]).ToArray();

        var tasks = Enumerable.Range(0, 4).Select(i => batcher.SubmitAsync(new float[] { i, 0, 0 }, results[i]).AsTask()).ToArray();
        await Task.WhenAll(tasks).WaitAsync(Patience);

        Assert.Equal([4], executor.Batches);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(i, results[i][0]);
            Assert.Equal(4, results[i][1]);
        }
    }

    [Fact]
    public async Task Submit_PartialBatch_WaitsForOldestFramesDelayOnTheClock()
    {
        var clock = new FakeTimeProvider();
        var executor = new SumExecutor { Clock = clock };
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 10_000 }, clock);
        var submittedAt = clock.GetTimestamp();

        var task = batcher.SubmitAsync(new float[] { 1, 2, 3 }, new float[2]).AsTask();
        for (var step = 0; step < 100 && !task.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await Task.WhenAny(task, Task.Delay(20));
        }

        var timing = await task.WaitAsync(Patience);
        Assert.Equal(1, timing.BatchSize);
        Assert.True(clock.GetElapsedTime(submittedAt, executor.ExecutedAt.Single()) >= TimeSpan.FromMilliseconds(10), "ran before the oldest frame's delay expired");
        Assert.True(timing.QueueWait >= TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public async Task Submit_ZeroDelay_RunsAtOnce()
    {
        var clock = new FakeTimeProvider();
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 }, clock);
        var result = new float[2];

        var timing = await batcher.SubmitAsync(new float[] { 1, 2, 3.5f }, result).AsTask().WaitAsync(Patience);

        Assert.Equal(6.5f, result[0]);
        Assert.Equal(TimeSpan.Zero, timing.QueueWait);
    }

    [Fact]
    public async Task Submit_ManyConcurrentProducers_EachGetsItsOwnResultExactlyOnce()
    {
        var executor = new SumExecutor(frameLength: 2, maxBatch: 16);
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 16, MaxQueueDelayMicroseconds = 200, QueueCapacity = 64 });
        const int Producers = 8;
        const int PerProducer = 500;

        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            var result = new float[2];
            for (var i = 0; i < PerProducer; i++)
            {
                var a = (p * 1000) + i;
                await batcher.SubmitAsync(new float[] { a, 0.5f }, result);
                Assert.Equal(a + 0.5f, result[0]);
            }
        }));
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Producers * PerProducer, executor.Batches.Sum());
        Assert.Equal(Producers * PerProducer, batcher.Metrics.FramesCompleted);
        Assert.Equal(executor.Batches.Length, batcher.Metrics.BatchesRun);
        Assert.Equal(0, batcher.Metrics.QueueDepth);
    }

    [Fact]
    public async Task Submit_NaNFrame_IsRejectedAloneAndNamesModelAndValue()
    {
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });
        var good = new float[2];

        var ex = await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitAsync(new float[] { 1, float.NaN, 3 }, new float[2]).AsTask());
        await batcher.SubmitAsync(new float[] { 1, 1, 1 }, good);

        Assert.Equal("model 'sum-model': frame value 1 is NaN (NaN and infinities are rejected)", ex.Message);
        Assert.Equal(RejectionReason.NonFinite, ex.Reason);
        Assert.Equal(3f, good[0]);
        Assert.Equal(1, batcher.Metrics.Rejections(RejectionReason.NonFinite));
        Assert.Equal(1, batcher.Metrics.FramesCompleted);
    }

    [Fact]
    public async Task Submit_WrongLength_IsRejectedWithBothLengths()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions());

        var ex = await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitAsync(new float[7], new float[2]).AsTask());

        Assert.Equal("model 'sum-model': frame has 7 values, expected 3", ex.Message);
        Assert.Equal(1, batcher.Metrics.Rejections(RejectionReason.WrongLength));
    }

    [Fact]
    public async Task Submit_InfinityUnderReplacePolicy_ScoresWithZero()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { NonFinite = NonFinitePolicy.ReplaceWithZero, MaxQueueDelayMicroseconds = 0 });
        var result = new float[2];

        await batcher.SubmitAsync(new float[] { 2, float.PositiveInfinity, 5 }, result);

        Assert.Equal(7f, result[0]);
        Assert.Equal(1, batcher.Metrics.NonFiniteReplaced);
    }

    [Fact]
    public async Task Execute_Throwing_FailsOnlyThatBatch()
    {
        var executor = new SumExecutor { FailWhen = _ => true };
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.SubmitAsync(new float[3], new float[2]).AsTask());
        executor.FailWhen = null;
        var result = new float[2];
        await batcher.SubmitAsync(new float[] { 1, 2, 3 }, result);

        Assert.Equal("model 'sum-model': a batch of 1 frames failed: simulated runtime failure", ex.Message);
        Assert.Equal(6f, result[0]);
        Assert.Equal(1, batcher.Metrics.ExecutorFailures);
    }

    [Fact]
    public async Task Submit_WhenQueueIsFull_WaitsForRoomAndHonoursCancellation()
    {
        // The clock never moves: only full batches run, and the drain at the end runs the rest.
        var executor = new SumExecutor(maxBatch: 2) { Gate = new ManualResetEventSlim(false) };
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 2, QueueCapacity = 2, MaxQueueDelayMicroseconds = 60_000_000 }, new FakeTimeProvider());

        // Two frames go into the blocked batch, two more fill the queue.
        var first = batcher.SubmitAsync(new float[] { 1, 0, 0 }, new float[2]).AsTask();
        var second = batcher.SubmitAsync(new float[] { 2, 0, 0 }, new float[2]).AsTask();
        await WaitUntil(() => batcher.Metrics.QueueDepth == 0);
        var third = batcher.SubmitAsync(new float[] { 3, 0, 0 }, new float[2]).AsTask();
        var fourth = batcher.SubmitAsync(new float[] { 4, 0, 0 }, new float[2]).AsTask();
        using var cts = new CancellationTokenSource();
        var blocked = batcher.SubmitAsync(new float[] { 5, 0, 0 }, new float[2], cts.Token).AsTask();
        var waiting = batcher.SubmitAsync(new float[] { 6, 0, 0 }, new float[2]).AsTask();

        Assert.False(blocked.IsCompleted);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        executor.Gate.Set();
        await Task.WhenAll(first, second, third, fourth).WaitAsync(Patience);

        // The waiting frame joins the queue once 3 and 4 leave it; drain only after that, or it is refused.
        await WaitUntil(() => batcher.Metrics.QueueDepth == 1);
        await batcher.DrainAsync().WaitAsync(Patience);
        await waiting.WaitAsync(Patience);

        Assert.Equal(5, batcher.Metrics.FramesCompleted);
        Assert.Equal([2, 2, 1], executor.Batches);
    }

    [Fact]
    public async Task Cancel_BeforeBatching_RemovesTheFrame()
    {
        var clock = new FakeTimeProvider();
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 1_000_000 }, clock);
        using var cts = new CancellationTokenSource();

        var task = batcher.SubmitAsync(new float[3], new float[2], cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Patience));
        clock.Advance(TimeSpan.FromSeconds(2));
        await batcher.DrainAsync().WaitAsync(Patience);

        Assert.Empty(executor.Batches);
        Assert.Equal(1, batcher.Metrics.FramesCancelled);
        Assert.Equal(0, batcher.Metrics.QueueDepth);
    }

    [Fact]
    public async Task Drain_RunsEveryQueuedFrameThenRefusesNewOnes()
    {
        var clock = new FakeTimeProvider();
        var executor = new SumExecutor();
        var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 60_000_000 }, clock);
        var tasks = Enumerable.Range(0, 3).Select(i => batcher.SubmitAsync(new float[] { i, 0, 0 }, new float[2]).AsTask()).ToArray();

        await batcher.DrainAsync().WaitAsync(Patience);
        await Task.WhenAll(tasks).WaitAsync(Patience);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.SubmitAsync(new float[3], new float[2]).AsTask());

        Assert.Equal(3, executor.Batches.Sum());
        Assert.Equal("model 'sum-model': the batcher is shut down and accepts no more frames", ex.Message);
        await batcher.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_CountBatchSizesExactly()
    {
        var executor = new SumExecutor(maxBatch: 4) { Gate = new ManualResetEventSlim(false) };
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 0 });
        var first = batcher.SubmitAsync(new float[3], new float[2]).AsTask();
        await WaitUntil(() => batcher.Metrics.QueueDepth == 0);
        var rest = Enumerable.Range(0, 4).Select(_ => batcher.SubmitAsync(new float[3], new float[2]).AsTask()).ToArray();
        await WaitUntil(() => batcher.Metrics.QueueDepth == 4);

        executor.Gate.Set();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Patience);

        Assert.Equal(1, batcher.Metrics.BatchesOfSize(1));
        Assert.Equal(1, batcher.Metrics.BatchesOfSize(4));
        Assert.Equal(2, batcher.Metrics.BatchesRun);
        Assert.Equal(2.5, batcher.Metrics.MeanBatchSize);
        Assert.Equal(5, batcher.Metrics.QueueWait.Count);
    }

    [Fact]
    public void Options_Invalid_NameTheModelAndTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { MaxBatchSize = 8, QueueCapacity = 4 }));

        Assert.Equal("model 'sum-model': QueueCapacity (4) must be ≥ MaxBatchSize (8)", ex.Message);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Yield();
        }
    }
}
