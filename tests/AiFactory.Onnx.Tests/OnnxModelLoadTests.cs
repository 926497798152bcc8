namespace AiFactory.Onnx.Tests;

[Trait("Category", "Unit")]
public sealed class OnnxModelLoadTests(OnnxEnvironmentFixture fixture) : IClassFixture<OnnxEnvironmentFixture>
{
    private static readonly OnnxSessionOptions Options = new();

    [Fact]
    public void Environment_LoadsPinnedLibraryVersion()
    {
        Assert.Equal("1.30.0", OnnxEnvironment.RuntimeVersion);
        Assert.True(File.Exists(OnnxEnvironment.LibraryPath));
    }

    [Fact]
    public void LoadFromFile_DescribesInputsAndOutputs()
    {
        using var model = OnnxModel.Load(fixture.Environment, Fixture.PathOf("argmax_softmax.onnx"), Options, "argmax-softmax");

        Assert.Equal("argmax-softmax", model.DisplayName);
        var input = Assert.Single(model.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1L, 4L], input.Shape);
        Assert.Equal(2, model.Outputs.Count);
        Assert.Equal("label", model.Outputs[0].Name);
        Assert.Equal(TensorElementType.Int64, model.Outputs[0].ElementType);
        Assert.Equal([-1L], model.Outputs[0].Shape);
        Assert.Equal("probabilities", model.Outputs[1].Name);
        Assert.Equal(TensorElementType.Float, model.Outputs[1].ElementType);
        Assert.Equal([-1L, 4L], model.Outputs[1].Shape);
    }

    [Fact]
    public void LoadFromBytes_DescribesSameModelAsFile()
    {
        var bytes = File.ReadAllBytes(Fixture.PathOf("label_strings.onnx"));
        using var model = OnnxModel.Load(fixture.Environment, bytes, Options, "labels");

        Assert.Equal("x", Assert.Single(model.Inputs).Name);
        var output = Assert.Single(model.Outputs);
        Assert.Equal("label", output.Name);
        Assert.Equal(TensorElementType.String, output.ElementType);
    }

    [Fact]
    public void LoadMissingFile_ThrowsNamingModelAndPath()
    {
        var path = Fixture.PathOf("does-not-exist.onnx");

        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxModel.Load(fixture.Environment, path, Options, "pump-anomaly"));

        Assert.Equal(OrtErrorCode.NoSuchFile, ex.ErrorCode);
        Assert.Contains("loading model 'pump-anomaly'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCorruptFile_ThrowsWithModelNameAndRuntimeMessage()
    {
        var ex = Assert.Throws<OnnxRuntimeException>(
            () => OnnxModel.Load(fixture.Environment, Fixture.PathOf("corrupt.onnx"), Options, "steel-defects"));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, ex.ErrorCode);
        Assert.StartsWith("loading model 'steel-defects' from '", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[ORT_INVALID_PROTOBUF]", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.RuntimeMessage));
        Assert.EndsWith(ex.RuntimeMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCorruptBytes_ThrowsWithModelName()
    {
        var ex = Assert.Throws<OnnxRuntimeException>(
            () => OnnxModel.Load(fixture.Environment, [1, 2, 3, 4], Options, "bad-bytes"));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, ex.ErrorCode);
        Assert.StartsWith("loading model 'bad-bytes' from 4 bytes: [ORT_INVALID_PROTOBUF] ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeThreadCount_ThrowsNamingModelAndSetting()
    {
        var options = new OnnxSessionOptions { IntraOpThreads = -1 };

        var ex = Assert.Throws<OnnxRuntimeException>(
            () => OnnxModel.Load(fixture.Environment, Fixture.PathOf("add_matmul.onnx"), options, "threads"));

        Assert.Contains("loading model 'threads'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("intra-op -1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.Disabled, true)]
    [InlineData(GraphOptimizationLevel.Basic, false)]
    [InlineData(GraphOptimizationLevel.Extended, false)]
    [InlineData(GraphOptimizationLevel.All, true)]
    public void EveryOptionCombination_LoadsAndRuns(GraphOptimizationLevel level, bool spinning)
    {
        var options = new OnnxSessionOptions { OptimizationLevel = level, AllowSpinning = spinning, IntraOpThreads = 2, InterOpThreads = 1 };
        using var model = OnnxModel.Load(fixture.Environment, Fixture.PathOf("add_matmul.onnx"), options, "options");
        using var context = model.CreateRunContext(1);

        context.FloatInput(0, 1).Fill(1f);
        context.Run(1);

        Assert.Equal([9.5f, 11f], context.FloatOutput(0).ToArray());
    }

    [Fact]
    public void ManySessions_CreatedAndDisposed_KeepWorking()
    {
        var bytes = File.ReadAllBytes(Fixture.PathOf("add_matmul.onnx"));
        for (var i = 0; i < 200; i++)
        {
            using var model = OnnxModel.Load(fixture.Environment, bytes, Options, $"model-{i}");
            using var context = model.CreateRunContext(2);
            context.FloatInput(0, 1).Fill(i);
            context.Run(1);
            Assert.Equal(i * 9f + 0.5f, context.FloatOutput(0)[0]);
        }
    }
}
