using Microsoft.ML.OnnxRuntime;

namespace AiFactory.Onnx.Tests;

/// <summary>Batch sizes on one context, models that cannot be batched, failing runs, threads, option combinations.</summary>
[Collection(OnnxCollection.Name)]
[Trait("Category", "Unit")]
public sealed class OnnxEdgeCaseTests(OnnxFixture fixture)
{
    private static readonly OnnxSessionOptions Options = new();

    private OnnxModel Load(string file, string name) =>
        OnnxModel.Load(fixture.Environment, OnnxFixture.Path(file), Options, name);

    [Fact]
    public void Run_EveryBatchSizeOnOneContext_GivesRowsOfThatBatch()
    {
        using var model = Load("add_matmul.onnx", "add-matmul");
        using var context = model.CreateRunContext(8);

        // y = x @ [[1,2],[3,4],[5,6]] + [0.5,-1]; two rounds so cached per-batch tensors are reused.
        for (var round = 0; round < 2; round++)
        {
            for (var batch = 1; batch <= 8; batch++)
            {
                var input = context.FloatInput(0, batch);
                Assert.Equal(batch * 3, input.Length);
                for (var row = 0; row < batch; row++)
                {
                    input[row * 3] = row + round;
                    input[(row * 3) + 1] = 0;
                    input[(row * 3) + 2] = 0;
                }

                context.Run(batch);

                var output = context.FloatOutput(0);
                Assert.Equal(batch * 2, output.Length);
                for (var row = 0; row < batch; row++)
                {
                    Assert.Equal(row + round + 0.5f, output[row * 2]);
                    Assert.Equal((2f * (row + round)) - 1f, output[(row * 2) + 1]);
                }
            }
        }
    }

    [Fact]
    public void FloatInput_FixedFirstDimension_IsRefusedNamingModelInputAndShape()
    {
        using var model = Load("fixed_batch.onnx", "fixed-model");
        using var context = model.CreateRunContext(4);

        var ex = Assert.Throws<OnnxRuntimeException>(() => context.FloatInput(0, 4));

        Assert.Equal(OrtErrorCode.InvalidArgument, ex.Code);
        Assert.Contains("input 'x' of model 'fixed-model'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[batch (dynamic), static dims...]; the graph declares Float [1,4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCorruptFile_ThrowsWithModelNameAndRuntimeMessage()
    {
        var ex = Assert.Throws<OnnxRuntimeException>(
            () => OnnxModel.Load(fixture.Environment, OnnxFixture.Path("corrupt.onnx"), Options, "steel-defects"));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, ex.Code);
        Assert.Contains("'steel-defects'", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.RuntimeMessage));
        Assert.Contains(ex.RuntimeMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FailingInsideGraph_NamesModelAndBatch_ThenContextRecovers()
    {
        // Reshape to [2,-1]: an odd batch cannot be reshaped (3 elements per row), an even one can.
        using var model = Load("reshape_even.onnx", "reshaper");
        using var context = model.CreateRunContext(2);
        context.FloatInput(0, 1).Fill(1f);

        var ex = Assert.Throws<OnnxRuntimeException>(() => context.Run(1));

        Assert.Contains("'reshaper'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("batch 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reshape", ex.RuntimeMessage, StringComparison.Ordinal);

        float[] rows = [1, 2, 3, 4, 5, 6];
        rows.CopyTo(context.FloatInput(0, 2));
        context.Run(2);
        Assert.Equal(rows, context.FloatOutput(0).ToArray());
    }

    [Fact]
    public async Task TwoContextsOnOneModel_RunOnTwoThreads_GiveEachTheirOwnResults()
    {
        using var model = Load("add_matmul.onnx", "shared");
        var failures = 0;
        void Worker(float value)
        {
            using var context = model.CreateRunContext(4);
            for (var i = 0; i < 2000; i++)
            {
                context.FloatInput(0, 4).Fill(value);
                context.Run(4);
                var output = context.FloatOutput(0);
                if (output[6] != (value * 9f) + 0.5f || output[7] != (value * 12f) - 1f)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        await Task.WhenAll(Task.Run(() => Worker(1f)), Task.Run(() => Worker(-3f))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.ORT_DISABLE_ALL, true)]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_BASIC, false)]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_EXTENDED, false)]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_ALL, true)]
    public void EveryOptionCombination_LoadsAndRunsExactly(GraphOptimizationLevel level, bool spinning)
    {
        var options = new OnnxSessionOptions { OptimizationLevel = level, AllowSpinning = spinning, IntraOpThreads = 2, InterOpThreads = 1 };
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("add_matmul.onnx"), options, "options");
        using var context = model.CreateRunContext(1);

        context.FloatInput(0, 1).Fill(1f);
        context.Run(1);

        Assert.Equal([9.5f, 11f], context.FloatOutput(0).ToArray());
    }

    [Fact]
    public void UseAfterModelDispose_ThrowsObjectDisposed()
    {
        var model = Load("add_matmul.onnx", "disposed-model");
        using var context = model.CreateRunContext(2);
        context.FloatInput(0, 1).Clear();
        context.Run(1);
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => context.Run(1));
        Assert.Throws<ObjectDisposedException>(() => model.CreateRunContext(1));
    }
}
