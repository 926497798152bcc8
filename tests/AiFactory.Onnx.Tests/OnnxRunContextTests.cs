namespace AiFactory.Onnx.Tests;

[Trait("Category", "Unit")]
public sealed class OnnxRunContextTests(OnnxEnvironmentFixture fixture) : IClassFixture<OnnxEnvironmentFixture>
{
    private static readonly OnnxSessionOptions Options = new();

    private OnnxModel Load(string file, string name) =>
        OnnxModel.Load(fixture.Environment, Fixture.PathOf(file), Options, name);

    [Fact]
    public void Run_AddMatMul_GivesExactResults()
    {
        using var model = Load("add_matmul.onnx", "add-matmul");
        using var context = model.CreateRunContext(4);

        float[] rows = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3];
        rows.CopyTo(context.FloatInput(0, 4));
        context.Run(4);

        // y = x @ [[1,2],[3,4],[5,6]] + [0.5,-1]
        Assert.Equal([1.5f, 1f, 3.5f, 3f, 5.5f, 5f, 22.5f, 27f], context.FloatOutput(0).ToArray());
    }

    [Fact]
    public void Run_EveryBatchSizeOnOneContext_GivesRowsOfThatBatch()
    {
        using var model = Load("add_matmul.onnx", "add-matmul");
        using var context = model.CreateRunContext(8);

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
    public void Run_ArgMaxSoftmax_GivesInt64AndFloatOutputs()
    {
        using var model = Load("argmax_softmax.onnx", "argmax-softmax");
        using var context = model.CreateRunContext(2);

        float[] rows = [0, 0, 5, 0, 0, 0, 0, 0];
        rows.CopyTo(context.FloatInput(0, 2));
        context.Run(2);

        Assert.Equal([2L, 0L], context.Int64Output(0).ToArray());
        var probabilities = context.FloatOutput(1);
        Assert.Equal(8, probabilities.Length);
        Assert.Equal(0.25f, probabilities[4]);
        Assert.Equal(0.25f, probabilities[7]);
        var e5 = MathF.Exp(5);
        Assert.Equal(e5 / (e5 + 3), probabilities[2], 6);
        Assert.Equal(1 / (e5 + 3), probabilities[0], 6);
    }

    [Fact]
    public void Run_LabelEncoder_GivesStringOutputs()
    {
        using var model = Load("label_strings.onnx", "labels");
        using var context = model.CreateRunContext(4);

        float[] rows = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        rows.CopyTo(context.FloatInput(0, 3));
        context.Run(3);
        Assert.Equal(["ok", "scratch", "dent"], context.StringOutput(0));

        rows.AsSpan(0, 3).CopyTo(context.FloatInput(0, 1));
        context.Run(1);
        Assert.Equal(["ok"], context.StringOutput(0));
    }

    [Fact]
    public void Run_Int64Input_GivesDoubledValues()
    {
        using var model = Load("int_input.onnx", "ints");
        using var context = model.CreateRunContext(2);

        long[] rows = [1, -2, 3, 40];
        rows.CopyTo(context.Int64Input(0, 2));
        context.Run(2);

        Assert.Equal([2L, -4L, 6L, 80L], context.Int64Output(0).ToArray());
    }

    [Fact]
    public void FloatInput_OnInt64Input_ThrowsNamingModelAndInput()
    {
        using var model = Load("int_input.onnx", "counter-model");
        using var context = model.CreateRunContext(2);

        var ex = Assert.Throws<InvalidOperationException>(() => context.FloatInput(0, 1));

        Assert.Equal("Model 'counter-model' input 'x' holds Int64 elements, not Float.", ex.Message);
    }

    [Fact]
    public void FloatOutput_OnInt64Output_ThrowsNamingModelAndOutput()
    {
        using var model = Load("argmax_softmax.onnx", "classifier");
        using var context = model.CreateRunContext(1);
        context.FloatInput(0, 1).Clear();
        context.Run(1);

        var ex = Assert.Throws<InvalidOperationException>(() => context.FloatOutput(0));

        Assert.Equal("Model 'classifier' output 'label' holds Int64 elements, not Float.", ex.Message);
    }

    [Fact]
    public void Output_BeforeRun_ThrowsSayingRunFirst()
    {
        using var model = Load("add_matmul.onnx", "fresh");
        using var context = model.CreateRunContext(1);

        var ex = Assert.Throws<InvalidOperationException>(() => context.FloatOutput(0));

        Assert.Equal("Model 'fresh' has no outputs yet: call Run first.", ex.Message);
    }

    [Fact]
    public void CreateRunContext_FixedFirstDimension_ThrowsNamingModelAndInput()
    {
        using var model = Load("fixed_batch.onnx", "fixed-model");

        var ex = Assert.Throws<OnnxRuntimeException>(() => model.CreateRunContext(4));

        Assert.Equal(OrtErrorCode.InvalidArgument, ex.ErrorCode);
        Assert.Equal(
            "preparing model 'fixed-model' for batches of up to 4: [ORT_INVALID_ARGUMENT] input 'x' has shape [1,4]; its first dimension must be the dynamic batch dimension",
            ex.Message);
    }

    [Fact]
    public void CreateRunContext_ZeroMaxBatch_Throws()
    {
        using var model = Load("add_matmul.onnx", "zero");

        var ex = Assert.Throws<OnnxRuntimeException>(() => model.CreateRunContext(0));

        Assert.Contains("the maximum batch must be 1 or more, got 0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Run_BatchOutsideOneToMaxBatch_ThrowsNamingModelAndLimit(int batch)
    {
        using var model = Load("add_matmul.onnx", "bounded");
        using var context = model.CreateRunContext(4);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => context.Run(batch));
        var inputEx = Assert.Throws<ArgumentOutOfRangeException>(() => context.FloatInput(0, batch));

        Assert.Contains("Model 'bounded': batch must be between 1 and the context's MaxBatch 4.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(batch, ex.ActualValue);
        Assert.Equal(ex.Message, inputEx.Message);
    }

    [Fact]
    public void Run_FailingInGraph_ThrowsNamingModelAndBatch_ThenRecovers()
    {
        using var model = Load("reshape_even.onnx", "reshaper");
        using var context = model.CreateRunContext(2);
        context.FloatInput(0, 1).Fill(1f);

        var ex = Assert.Throws<OnnxRuntimeException>(() => context.Run(1));

        Assert.StartsWith("running model 'reshaper' (batch 1): [ORT_", ex.Message, StringComparison.Ordinal);
        Assert.NotEqual(OrtErrorCode.Ok, ex.ErrorCode);
        Assert.Contains("Reshape", ex.RuntimeMessage, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => context.FloatOutput(0));

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

        var first = Task.Run(() => Worker(1f));
        var second = Task.Run(() => Worker(-3f));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, failures);
    }

    [Fact]
    public void UseAfterContextDispose_ThrowsObjectDisposed()
    {
        using var model = Load("add_matmul.onnx", "disposed");
        var context = model.CreateRunContext(2);
        context.Dispose();

        Assert.Throws<ObjectDisposedException>(() => context.Run(1));
        Assert.Throws<ObjectDisposedException>(() => context.FloatInput(0, 1));
        Assert.Throws<ObjectDisposedException>(() => context.FloatOutput(0));
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

    [Fact]
    public void Run_SteadyState_AllocatesNoManagedMemory()
    {
        using var model = Load("argmax_softmax.onnx", "steady");
        using var context = model.CreateRunContext(8);
        context.FloatInput(0, 8).Fill(1f);
        context.Run(8);
        context.Run(3);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            context.FloatInput(0, 8)[0] = i;
            context.Run(8);
            _ = context.Int64Output(0)[0];
            _ = context.FloatOutput(1)[0];
            context.Run(3);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
