using AiFactory.Edge.Core.Batching;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Batching;

[Trait("Category", "Unit")]
public sealed class DynamicBatcherMultiFrameTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SubmitMany_MoreFramesThanABatch_SplitsAcrossBatchesAndFillsEveryRow()
    {
        // The clock never moves: only full batches run until the drain runs the remainder.
        var executor = new SumExecutor(maxBatch: 4);
        var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 60_000_000 }, new FakeTimeProvider());
        var frames = new float[10 * 3];
        for (var i = 0; i < 10; i++)
        {
            frames[i * 3] = i;
            frames[(i * 3) + 2] = 0.5f;
        }

        var results = new float[10 * 2];
        var task = batcher.SubmitManyAsync(frames, 10, results).AsTask();
        await WaitUntil(() => executor.Batches.Length == 2);
        await batcher.DrainAsync().WaitAsync(Patience);
        var timing = await task.WaitAsync(Patience);

        Assert.Equal([4, 4, 2], executor.Batches);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i + 0.5f, results[i * 2]);
            Assert.Equal(i < 8 ? 4 : 2, results[(i * 2) + 1]);
        }

        Assert.Equal(2, timing.BatchSize);
        Assert.Equal(10, batcher.Metrics.FramesCompleted);
        Assert.Equal(10, batcher.Metrics.QueueWait.Count);
        Assert.Equal(0, batcher.Metrics.QueueDepth);
        await batcher.DisposeAsync();
    }

    [Fact]
    public async Task SubmitMany_SharesBatchesWithSingleSubmits_EachGetsItsOwnResultExactlyOnce()
    {
        var executor = new SumExecutor(frameLength: 2, maxBatch: 16);
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 16, MaxQueueDelayMicroseconds = 200, QueueCapacity = 64 });
        const int Rounds = 200;

        var bulk = Task.Run(async () =>
        {
            var frames = new float[24 * 2];
            var results = new float[24 * 2];
            for (var round = 0; round < Rounds; round++)
            {
                for (var i = 0; i < 24; i++)
                {
                    frames[i * 2] = (round * 100) + i;
                }

                await batcher.SubmitManyAsync(frames, 24, results);
                for (var i = 0; i < 24; i++)
                {
                    Assert.Equal((round * 100) + i, results[i * 2]);
                }
            }
        });
        var singles = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            var result = new float[2];
            for (var i = 0; i < Rounds; i++)
            {
                await batcher.SubmitAsync(new float[] { -((p * 1000) + i), 0 }, result);
                Assert.Equal(-((p * 1000) + i), result[0]);
            }
        })).ToArray();
        await Task.WhenAll(singles.Append(bulk)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((Rounds * 24) + (4 * Rounds), batcher.Metrics.FramesCompleted);
        Assert.Equal(0, batcher.Metrics.QueueDepth);
    }

    [Fact]
    public async Task SubmitMany_OneNaNFrame_RefusesTheWholeSubmitAndNamesTheFrame()
    {
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });

        var ex = await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitManyAsync(new float[] { 1, 2, 3, 4, float.NaN, 6 }, 2, new float[4]).AsTask());

        Assert.Equal("model 'sum-model': frame 1 of 2: value 1 is NaN (NaN and infinities are rejected; no frame of this submit was queued)", ex.Message);
        Assert.Equal(RejectionReason.NonFinite, ex.Reason);
        Assert.Equal(1, batcher.Metrics.Rejections(RejectionReason.NonFinite));
        Assert.Empty(executor.Batches);
    }

    [Fact]
    public async Task SubmitMany_WrongLength_NamesCountsAndLengths()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions());

        var ex = await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitManyAsync(new float[8], 3, new float[6]).AsTask());

        Assert.Equal("model 'sum-model': 3 frames hold 8 values, expected 3 × 3 = 9", ex.Message);
        Assert.Equal(1, batcher.Metrics.Rejections(RejectionReason.WrongLength));
    }

    [Fact]
    public async Task SubmitMany_ResultBufferTooSmall_NamesWhatIsNeeded()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions());

        var ex = await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitManyAsync(new float[6], 2, new float[3]).AsTask());

        Assert.Equal("model 'sum-model': result buffer holds 3 values, 2 frames need 2 × 2 = 4", ex.Message);
        Assert.Equal(RejectionReason.ResultTooSmall, ex.Reason);
    }

    [Fact]
    public async Task SubmitMany_CountAboveQueueCapacity_IsRefusedWithTheLimit()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(maxBatch: 4), new DynamicBatcherOptions { MaxBatchSize = 4, QueueCapacity = 4 });

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => batcher.SubmitManyAsync(new float[15], 5, new float[10]).AsTask());

        Assert.StartsWith("model 'sum-model': a submit holds 1 to QueueCapacity (4) frames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitMany_InfinityUnderReplacePolicy_ZeroesTheCopyNotTheCallersFrames()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { NonFinite = NonFinitePolicy.ReplaceWithZero, MaxQueueDelayMicroseconds = 0 });
        var frames = new float[] { 1, 1, 1, 2, float.PositiveInfinity, 5 };
        var results = new float[4];

        await batcher.SubmitManyAsync(frames, 2, results);

        Assert.Equal(3f, results[0]);
        Assert.Equal(7f, results[2]);
        Assert.Equal(float.PositiveInfinity, frames[4]);
        Assert.Equal(1, batcher.Metrics.NonFiniteReplaced);
    }

    [Fact]
    public async Task SubmitMany_WhenQueueLacksRoom_WaitsThenRunsAndHonoursCancellation()
    {
        var executor = new SumExecutor(maxBatch: 2) { Gate = new ManualResetEventSlim(false) };
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 2, QueueCapacity = 4, MaxQueueDelayMicroseconds = 60_000_000 }, new FakeTimeProvider());

        // Two frames go into the blocked batch, three more leave room for one.
        var running = batcher.SubmitManyAsync(new float[6], 2, new float[4]).AsTask();
        await WaitUntil(() => batcher.Metrics.QueueDepth == 0);
        var queued = batcher.SubmitManyAsync(new float[9], 3, new float[6]).AsTask();
        using var cts = new CancellationTokenSource();
        var cancelled = batcher.SubmitManyAsync(new float[6], 2, new float[4], cts.Token).AsTask();
        var waiting = batcher.SubmitManyAsync(new float[] { 1, 2, 3, 4, 5, 6 }, 2, new float[4]).AsTask();

        Assert.False(cancelled.IsCompleted);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(3, batcher.Metrics.QueueDepth);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        executor.Gate.Set();
        await Task.WhenAll(running, queued).WaitAsync(Patience);
        await WaitUntil(() => batcher.Metrics.QueueDepth == 1);
        await batcher.DrainAsync().WaitAsync(Patience);
        await waiting.WaitAsync(Patience);

        Assert.Equal(7, batcher.Metrics.FramesCompleted);
        Assert.Equal([2, 2, 2, 1], executor.Batches);
    }

    [Fact]
    public async Task SubmitMany_CancelledWhileQueued_NeverRunsAndGivesItsRoomBack()
    {
        var clock = new FakeTimeProvider();
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 8, QueueCapacity = 8, MaxQueueDelayMicroseconds = 1_000_000 }, clock);
        using var cts = new CancellationTokenSource();

        var task = batcher.SubmitManyAsync(new float[15], 5, new float[10], cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Patience));
        clock.Advance(TimeSpan.FromSeconds(2));
        var next = batcher.SubmitManyAsync(new float[24], 8, new float[16]).AsTask();
        await next.WaitAsync(Patience);

        Assert.Equal([8], executor.Batches);
        Assert.Equal(1, batcher.Metrics.FramesCancelled);
        Assert.Equal(0, batcher.Metrics.QueueDepth);
    }

    [Fact]
    public async Task SubmitMany_ExecutorThrowing_FailsTheSubmitWithTheModelsMessage()
    {
        var executor = new SumExecutor { FailWhen = _ => true };
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.SubmitManyAsync(new float[6], 2, new float[4]).AsTask());

        Assert.Equal("model 'sum-model': a batch of 2 frames failed: simulated runtime failure", ex.Message);
        Assert.Equal(1, batcher.Metrics.ExecutorFailures);
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
