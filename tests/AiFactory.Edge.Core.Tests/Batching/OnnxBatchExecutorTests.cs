using AiFactory.Edge.Core.Batching;
using AiFactory.Onnx;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Batching;

[Trait("Category", "Unit")]
public sealed class OnnxBatchExecutorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Batcher_GraphReturningNonFiniteValues_FailsThatFrameAloneNamingTheValue()
    {
        // affine.onnx: 2 × 3e38 overflows float32 to +∞, and z = ∞ + (−∞) + 1 is NaN: finite inputs, non-finite results.
        using var environment = OnnxEnvironment.Create("batcher-tests");
        using var model = OnnxModel.Load(environment, Fixture("affine.onnx"), new OnnxSessionOptions(), "affine");
        using var executor = new OnnxBatchExecutor(model, "x", ["y", "z"], maxBatchSize: 2);
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 2, MaxQueueDelayMicroseconds = 10_000_000 }, new FakeTimeProvider());
        var good = new float[4];

        var goodTask = batcher.SubmitAsync(new float[] { 1, 2, 3 }, good).AsTask();
        var badTask = batcher.SubmitAsync(new float[] { 3e38f, -3e38f, 0 }, new float[4]).AsTask();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => badTask.WaitAsync(Patience));
        await goodTask.WaitAsync(Patience);
        Assert.Equal("model 'affine': frame 0 of 1: result value 0 is Infinity (the model returned a non-finite value; the frame has no result)", ex.Message);
        Assert.Equal(new float[] { 3, 5, 7, 15 }, good);
        Assert.Equal(1, batcher.Metrics.NonFiniteResults);
        Assert.Equal(1, batcher.Metrics.BatchesRun);
    }

    [Fact]
    public async Task Batcher_OverAffineGraph_GivesEachCallerItsOwnRows()
    {
        // affine.onnx: y = 2x + 1 over [N,3], z = sum(y) over [N,1]; the result is y's row then z's.
        using var environment = OnnxEnvironment.Create("batcher-tests");
        using var model = OnnxModel.Load(environment, Fixture("affine.onnx"), new OnnxSessionOptions(), "affine");
        using var executor = new OnnxBatchExecutor(model, "x", ["y", "z"], maxBatchSize: 4);
        Assert.Equal(3, executor.FrameLength);
        Assert.Equal(4, executor.ResultLength);

        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 10_000_000 }, new FakeTimeProvider());
        var results = new float[4][];
        var tasks = new Task<InferenceTiming>[4];
        for (var i = 0; i < 4; i++)
        {
            results[i] = new float[4];
            tasks[i] = batcher.SubmitAsync(new float[] { i, i + 1, -i }, results[i]).AsTask();
        }

        var timings = await Task.WhenAll(tasks).WaitAsync(Patience);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(4, timings[i].BatchSize);
            Assert.Equal(new float[] { (2 * i) + 1, (2 * (i + 1)) + 1, (-2 * i) + 1, (2 * i) + 5 }, results[i]);
        }
    }

    [Fact]
    public void Execute_Int64AndFloatOutputs_WritesLabelThenProbabilities()
    {
        using var environment = OnnxEnvironment.Create("batcher-tests");
        using var model = OnnxModel.Load(environment, Fixture("argmax.onnx"), new OnnxSessionOptions(), "argmax");
        using var executor = new OnnxBatchExecutor(model, "x", ["label", "probabilities"], maxBatchSize: 2);
        var results = new float[2 * 5];

        executor.Execute([0, 0, 9, 0, 5, 0, 0, 0], 2, results);

        Assert.Equal(2f, results[0]);
        Assert.Equal(0f, results[5]);
        Assert.True(results[3] > 0.99f, $"row 0 class 2 probability {results[3]}");
        Assert.True(results[6] > 0.97f, $"row 1 class 0 probability {results[6]}");
    }

    [Fact]
    public void Create_UnknownOutput_NamesTheOutputAndTheGraphsOutputs()
    {
        using var environment = OnnxEnvironment.Create("batcher-tests");
        using var model = OnnxModel.Load(environment, Fixture("affine.onnx"), new OnnxSessionOptions(), "affine");

        var ex = Assert.Throws<ArgumentException>(() => new OnnxBatchExecutor(model, "x", ["score"], maxBatchSize: 2));

        Assert.Equal("model 'affine': the graph has no output 'score' (it has: y, z)", ex.Message);
    }

    [Fact]
    public void Create_UnknownInput_NamesTheInput()
    {
        using var environment = OnnxEnvironment.Create("batcher-tests");
        using var model = OnnxModel.Load(environment, Fixture("affine.onnx"), new OnnxSessionOptions(), "affine");

        var ex = Assert.Throws<ArgumentException>(() => new OnnxBatchExecutor(model, "features", ["z"], maxBatchSize: 2));

        Assert.Equal("model 'affine': the graph has no input 'features' (it has: x)", ex.Message);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
