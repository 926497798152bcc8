using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AiFactory.Onnx.Tests;

[Collection(OnnxCollection.Name)]
[Trait("Category", "Unit")]
public sealed class OnnxModelTests(OnnxFixture fixture)
{
    private static readonly OnnxSessionOptions Options = new();

    [Fact]
    public void Load_FromFile_DescribesInputsAndOutputs()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("affine.onnx"), Options, "affine");

        Assert.Equal("x", Assert.Single(model.InputNames));
        var input = model.InputMetadata["x"];
        Assert.Equal(TensorElementType.Float, input.ElementDataType);
        Assert.Equal([-1, 3], input.Dimensions);
        Assert.Equal(3, input.ElementsPerRow());
        Assert.Equal("Float [-1,3]", input.Describe());
        Assert.Equal(["y", "z"], model.OutputNames);
        Assert.Equal([-1, 1], model.OutputMetadata["z"].Dimensions);
    }

    [Fact]
    public void Run_AffineGraph_ComputesEveryRowExactly()
    {
        using var model = OnnxModel.Load(fixture.Environment, File.ReadAllBytes(OnnxFixture.Path("affine.onnx")), Options, "affine");
        using var context = model.CreateRunContext(maxBatch: 4);

        for (var batch = 1; batch <= 4; batch++)
        {
            var input = context.FloatInput(0, batch);
            Assert.Equal(batch * 3, input.Length);
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = i + batch;
            }

            context.Run(batch);

            var y = context.FloatOutput(0);
            var z = context.FloatOutput(1);
            Assert.Equal(batch * 3, y.Length);
            Assert.Equal(batch, z.Length);
            for (var i = 0; i < y.Length; i++)
            {
                Assert.Equal(((i + batch) * 2f) + 1f, y[i]);
            }

            for (var row = 0; row < batch; row++)
            {
                Assert.Equal(y[row * 3] + y[(row * 3) + 1] + y[(row * 3) + 2], z[row]);
            }
        }
    }

    [Fact]
    public void Run_ClassifierShapedGraph_ReturnsInt64LabelsAndProbabilities()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("argmax.onnx"), Options, "argmax");
        using var context = model.CreateRunContext(2);
        float[] rows = [0.1f, 0.9f, 0.3f, 0.2f, 5f, 1f, 2f, 3f];
        rows.CopyTo(context.FloatInput(0, 2));

        context.Run(2);

        Assert.Equal([1L, 0L], context.Int64Output(0).ToArray());
        var p = context.FloatOutput(1);
        Assert.Equal(8, p.Length);
        Assert.Equal(1f, p[0] + p[1] + p[2] + p[3], 5);
        Assert.Equal(MathF.Exp(5f) / (MathF.Exp(5f) + MathF.Exp(1f) + MathF.Exp(2f) + MathF.Exp(3f)), p[4], 5);
    }

    [Fact]
    public void Run_StringOutput_ReadsEveryLabel()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("strings.onnx"), Options, "strings");
        using var context = model.CreateRunContext(3);
        float[] rows = [1f, 0f, 0f, 1f, 0.2f, 0.7f];
        rows.CopyTo(context.FloatInput(0, 3));

        context.Run(3);

        Assert.Equal(["ok", "defect", "defect"], context.StringOutput(0));
    }

    [Fact]
    public void Load_MissingFile_NamesModelAndPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxModel.Load(fixture.Environment, path, Options, "pump-anomaly"));

        Assert.Contains("'pump-anomaly'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptBytes_CarriesOnnxRuntimesMessage()
    {
        var garbage = new byte[512];
        new Random(7).NextBytes(garbage);

        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxModel.Load(fixture.Environment, garbage, Options, "steel-defects"));

        Assert.StartsWith("loading model 'steel-defects'", ex.Message, StringComparison.Ordinal);
        Assert.NotEqual(OrtErrorCode.Ok, ex.Code);
        Assert.False(string.IsNullOrWhiteSpace(ex.RuntimeMessage));
    }

    [Fact]
    public void Load_EmptyFile_SaysItIsEmpty()
    {
        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxModel.Load(fixture.Environment, Array.Empty<byte>(), Options, "empty"));

        Assert.Contains("model 'empty'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatInput_OnInt64Input_NamesModelAndInput()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("int64-input.onnx"), Options, "counter");
        using var context = model.CreateRunContext(2);

        var ex = Assert.Throws<OnnxRuntimeException>(() => context.FloatInput(0, 1));

        Assert.Contains("input 'x' of model 'counter'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BatchAboveMaximum_IsRefusedWithTheLimit()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("affine.onnx"), Options, "affine");
        using var context = model.CreateRunContext(2);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => context.Run(3));

        Assert.Contains("model 'affine': batch must be 1..2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_WrongElementType_IsRefused()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("argmax.onnx"), Options, "argmax");
        using var context = model.CreateRunContext(1);
        context.Run(1);

        var ex = Assert.Throws<InvalidOperationException>(() => context.FloatOutput(0));

        Assert.Contains("output 'label' is Int64, not Float", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Use_AfterDispose_Throws()
    {
        var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("affine.onnx"), Options, "affine");
        var context = model.CreateRunContext(1);
        context.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => context.Run(1));
        Assert.Throws<ObjectDisposedException>(() => model.CreateRunContext(1));
    }

    [Fact]
    public void Sessions_CreatedAndDisposedRepeatedly_KeepWorking()
    {
        var bytes = File.ReadAllBytes(OnnxFixture.Path("affine.onnx"));
        for (var i = 0; i < 200; i++)
        {
            using var model = OnnxModel.Load(fixture.Environment, bytes, new OnnxSessionOptions { OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC }, "affine");
            using var context = model.CreateRunContext(1);
            context.FloatInput(0, 1).Fill(i);
            context.Run(1);
            Assert.Equal((i * 2f) + 1f, context.FloatOutput(0)[0]);
        }
    }

    [Fact]
    public void Run_SteadyState_AllocatesNoManagedMemory()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("affine.onnx"), Options, "affine");
        using var context = model.CreateRunContext(8);
        context.FloatInput(0, 8).Fill(1f);
        context.Run(8);
        _ = context.FloatOutput(1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            context.Run(8);
            _ = context.FloatOutput(1)[0];
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
