using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Core.Tests.Batching;

/// <summary>CallerRuns: the submitting thread runs the queued frames (the agent's routing loop), nobody else does.</summary>
[Trait("Category", "Unit")]
public sealed class DynamicBatcherCallerRunsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static DynamicBatcherOptions Options(int maxBatch = 4, int capacity = 4096) =>
        new() { MaxBatchSize = maxBatch, MaxQueueDelayMicroseconds = 0, CallerRuns = true, QueueCapacity = capacity };

    [Fact]
    public async Task Submits_WaitForRunQueued_WhichRunsThemOnTheCaller_InBatchesOfAtMostTheMax()
    {
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, Options());
        var results = Enumerable.Range(0, 10).Select(_ => new float[2]).ToArray();
        var tasks = Enumerable.Range(0, 10).Select(i => batcher.SubmitAsync(new float[] { i, 1, 0 }, results[i])).ToArray();

        // The runner thread is not woken: nothing runs until the caller says so.
        await Task.Delay(200);
        Assert.Empty(executor.Batches);
        Assert.All(tasks, t => Assert.False(t.IsCompleted));

        var caller = Environment.CurrentManagedThreadId;
        var ranOn = -1;
        batcher.BatchCompleted = () => ranOn = Environment.CurrentManagedThreadId;
        Assert.Equal(3, batcher.RunQueued());

        Assert.Equal([4, 4, 2], executor.Batches);
        Assert.Equal(caller, ranOn);
        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i + 1, results[i][0]);
        }

        Assert.Equal(0, batcher.RunQueued());
    }

    [Fact]
    public void CallerRuns_WithAQueueDelay_IsRefusedWithTheReason()
    {
        var error = Assert.Throws<ArgumentException>(() => new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { CallerRuns = true, MaxQueueDelayMicroseconds = 500 }));
        Assert.Contains("model 'sum-model': CallerRuns needs MaxQueueDelayMicroseconds 0 (was 500)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_RunsWhatTheCallerLeftQueued()
    {
        var executor = new SumExecutor();
        var batcher = new DynamicBatcher(executor, Options());
        var tasks = Enumerable.Range(0, 3).Select(i => batcher.SubmitAsync(new float[] { i, 0, 0 }, new float[2]).AsTask()).ToArray();

        await batcher.DisposeAsync();

        await Task.WhenAll(tasks).WaitAsync(Patience);
        Assert.Equal([3], executor.Batches);
    }

    [Fact]
    public async Task FullQueue_TheSubmitterRunsTheQueueToMakeRoom()
    {
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, Options(maxBatch: 4, capacity: 4));
        var tasks = Enumerable.Range(0, 6).Select(i => batcher.SubmitAsync(new float[] { i, 0, 0 }, new float[2]).AsTask()).ToArray();

        // The fifth submit found no room and ran the four queued frames itself.
        Assert.Equal([4], executor.Batches);
        batcher.RunQueued();
        await Task.WhenAll(tasks).WaitAsync(Patience);
        Assert.Equal([4, 2], executor.Batches);
    }

    [Fact]
    public async Task Station_WithMoreFramesThanItsInFlightLimit_NeverWaitsForARunnerThatIsNotComing()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), Options(maxBatch: 8));
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("s1", AiFactory.Edge.Core.Tests.Stations.AnomalyStationTests.Card(), batcher, results.Add, maxInFlight: 3);

        for (var i = 0; i < 20; i++)
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch.AddSeconds(i), [i % 2 * 2, 5, 5]).AsTask().WaitAsync(Patience);
        }

        await station.FlushAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => DateTimeOffset.UnixEpoch.AddSeconds(i)), results.Select(r => r.Timestamp));
        Assert.All(results, r => Assert.Null(r.Error));
    }
}
