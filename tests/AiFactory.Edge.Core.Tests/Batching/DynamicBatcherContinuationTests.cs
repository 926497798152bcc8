using AiFactory.Edge.Core.Batching;

namespace AiFactory.Edge.Core.Tests.Batching;

[Trait("Category", "Unit")]
public sealed class DynamicBatcherContinuationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AwaitingCaller_ResumesOnTheRunnerOnlyWhenContinuationsAreInline(bool inline)
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(modelName: "inline-probe"), new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 3000, InlineContinuations = inline });
        var result = new float[2];

        var resumedOn = await Task.Run(async () =>
        {
            // The 3 ms delay lets each await register before its batch runs; several rounds, so one late registration cannot decide.
            var names = new List<string?>();
            for (var i = 0; i < 20; i++)
            {
                await batcher.SubmitAsync(new float[] { i, 1, 1 }, result).ConfigureAwait(false);
                names.Add(Thread.CurrentThread.Name);
                Assert.Equal(i + 2, result[0]);
            }

            return names;
        }).WaitAsync(Patience);

        Assert.Equal(inline, resumedOn.Contains("batcher:inline-probe"));
    }

    [Fact]
    public async Task InlineContinuation_ThatSubmitsAgain_KeepsTheRunnerGoing()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 50, InlineContinuations = true });
        var producers = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            var result = new float[2];
            for (var i = 0; i < 200; i++)
            {
                await batcher.SubmitAsync(new float[] { p, i, 0 }, result).ConfigureAwait(false);
                Assert.Equal(p + i, result[0]);
            }
        }));

        await Task.WhenAll(producers).WaitAsync(Patience);
        Assert.Equal(1600, batcher.Metrics.FramesCompleted);
    }

    [Fact]
    public async Task BatchCompleted_IsCalledAfterEveryBatch_WithItsResultsAlreadyThere()
    {
        // The gate holds each batch until the test has stored the frame's pending result for the callback to look at.
        using var gate = new ManualResetEventSlim(false);
        await using var batcher = new DynamicBatcher(new SumExecutor { Gate = gate }, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });
        var result = new float[2];
        ValueTask<InferenceTiming> pending = default;
        var calls = 0;
        var resultsThere = 0;
        using var called = new SemaphoreSlim(0);
        batcher.BatchCompleted = () =>
        {
            calls++;
            resultsThere += pending.IsCompleted ? 1 : 0;
            called.Release();
        };

        for (var i = 0; i < 3; i++)
        {
            gate.Reset();
            pending = batcher.SubmitAsync(new float[] { i, 0, 0 }, result);
            gate.Set();
            Assert.True(await called.WaitAsync(Patience));
            await pending;
        }

        Assert.Equal(3, calls);
        Assert.Equal(3, resultsThere);
    }

    [Fact]
    public async Task BatchCompleted_ThatThrows_IsCounted_AndTheRunnerGoesOn()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });
        batcher.BatchCompleted = () => throw new InvalidOperationException("a broken callback");

        for (var i = 0; i < 3; i++)
        {
            var result = new float[2];
            await batcher.SubmitAsync(new float[] { i, 1, 0 }, result).AsTask().WaitAsync(Patience);
            Assert.Equal(i + 1, result[0]);
        }

        // The callback runs just after the results are handed out: the last count may land a moment after the await.
        await AiFactory.Testing.Eventually.WaitFor(() => batcher.Metrics.CallbackFailures == 3, "three counted callback failures");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task NonFiniteValue_AnywhereInALongSubmit_IsFoundAndNamed(float bad)
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(maxBatch: 64), new DynamicBatcherOptions { MaxBatchSize = 64, MaxQueueDelayMicroseconds = 0 });
        // 21 frames of 3 values: 63 floats, so vector chunks and a scalar tail are both crossed.
        for (var position = 0; position < 63; position++)
        {
            var frames = Enumerable.Range(0, 63).Select(v => (float)v).ToArray();
            frames[position] = bad;
            var ex = await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitManyAsync(frames, 21, new float[42]).AsTask());
            Assert.Contains($"frame {position / 3} of 21: value {position % 3} is", ex.Message);
        }

        var clean = Enumerable.Range(0, 63).Select(v => (float)v).ToArray();
        await batcher.SubmitManyAsync(clean, 21, new float[42]).AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task ReplacePolicy_ZeroesEveryNonFiniteValue_PastTheFirstVector()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(maxBatch: 64), new DynamicBatcherOptions { MaxBatchSize = 64, MaxQueueDelayMicroseconds = 0, NonFinite = NonFinitePolicy.ReplaceWithZero });
        var frames = Enumerable.Repeat(1f, 63).ToArray();
        frames[40] = float.NaN;
        frames[62] = float.PositiveInfinity;
        var results = new float[42];

        await batcher.SubmitManyAsync(frames, 21, results).AsTask().WaitAsync(Patience);

        Assert.Equal(2, results[13 * 2]); // frame 13 holds value 40: 1 + 0 + 1
        Assert.Equal(2, results[20 * 2]); // frame 20 holds value 62: 1 + 1 + 0
        Assert.Equal(3, results[0]);
        Assert.Equal(1, batcher.Metrics.NonFiniteReplaced);
    }
}
