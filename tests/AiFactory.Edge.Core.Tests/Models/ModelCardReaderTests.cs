using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Onnx;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Models;

[Trait("Category", "Unit")]
public sealed class ModelCardReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aifactory-card-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_ShippedCards_AreValid()
    {
        var pump = ModelCardReader.Read(RepoPaths.Model("pump-anomaly"));
        var steel = ModelCardReader.Read(RepoPaths.Model("steel-defects"));

        Assert.True(pump.IsAnomaly);
        Assert.Equal(pump.Input.Window * pump.Input.Features.Count, pump.FrameLength);
        Assert.Equal(7, steel.Output.Classes.Count);
        Assert.Equal(steel.Output.Classes, steel.Labels!.ClassColumns);
    }

    [Fact]
    public void Read_MissingFolder_NamesTheFolder()
    {
        var missing = Path.Combine(_folder, "nope");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(missing));

        Assert.Equal($"{missing}: model folder does not exist (expected a folder holding card.yaml and the .onnx file)", ex.Message);
    }

    [Fact]
    public void Read_MissingCard_NamesTheFile()
    {
        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.Contains($"{Path.Combine(_folder, "card.yaml")}: model card is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BrokenYaml_NamesFileAndLine()
    {
        File.WriteAllText(Path.Combine(_folder, "card.yaml"), "name: x\ninput: [unclosed\n");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.StartsWith($"{Path.Combine(_folder, "card.yaml")} (line ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid model card", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ControlCharactersInNameOrVersion_AreRefusedEscaped()
    {
        File.WriteAllText(Path.Combine(_folder, "card.yaml"), """
            name: "pump\n[16:09:99 INF] forged"
            version: "1.0.0\r\n"
            task: anomaly
            onnx: missing.onnx
            input: {name: input, features: [a, b], window: 1}
            normalisation: {kind: per_asset}
            calibration: {samples: 400, threshold: {method: mean_std}}
            output: {score: score}
            """);

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        var card = Path.Combine(_folder, "card.yaml");
        Assert.Contains($@"{card}: name: 'pump\n[16:09:99 INF] forged' is not a valid id: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit ([a-z0-9][a-z0-9._-]{{0,63}}). (e.g. pump-anomaly)", ex.Problems);
        Assert.Contains($@"{card}: version: '1.0.0\r\n' must be at most 64 characters without control characters (semantic version, e.g. 1.0.0)", ex.Problems);
    }

    [Fact]
    public void Read_InvalidValues_ReportsEveryKeyWithAHint()
    {
        File.WriteAllText(Path.Combine(_folder, "card.yaml"), """
            name: Pump_Anomaly
            version: 1.0.0
            task: anomaly
            onnx: missing.onnx
            input: {name: input, features: [a, b], window: 0}
            normalisation: {kind: per_asset}
            calibration: {samples: 400, threshold: {method: median, floor: .inf}}
            output: {score: score}
            """);

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        var card = Path.Combine(_folder, "card.yaml");
        Assert.Contains($"{card}: name: 'Pump_Anomaly' is not a valid id: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit ([a-z0-9][a-z0-9._-]{{0,63}}). (e.g. pump-anomaly)", ex.Problems);
        Assert.Contains($"{card}: onnx: 'missing.onnx' does not exist next to card.yaml", ex.Problems);
        Assert.Contains($"{card}: input.window: must be ≥ 1 (was 0)", ex.Problems);
        Assert.Contains($"{card}: calibration.threshold.method: 'median' must be quantile or mean_std", ex.Problems);
        Assert.Contains($"{card}: calibration.threshold.floor: must be a finite number (was {double.PositiveInfinity})", ex.Problems);
        Assert.Equal(5, ex.Problems.Count);
    }

    [Fact]
    public void CheckAgainst_CardDisagreeingWithGraph_NamesModelAndDisagreement()
    {
        var ex = LoadWithCardEdit("pump-anomaly", "window: 5", "window: 4");

        Assert.Contains("model 'pump-anomaly'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("input 'input' takes 40 values per row in the graph, the card's window × features is 4 × 8 = 32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckAgainst_OutputOfWrongElementType_NamesOutputAndBothTypes()
    {
        var ex = LoadWithCardEdit("steel-defects", "  label: label", "  label: probabilities");

        Assert.Equal([$"model 'steel-defects' ({Path.Combine(_folder, "card.yaml")} vs steel-defects.onnx): output 'probabilities' is Float in the graph, output.label must be Int64"], ex.Problems);
    }

    [Fact]
    public void Read_WithoutRuntimeSection_RunsOnOneThreadWithoutSpinning()
    {
        var options = ModelCardReader.Read(RepoPaths.Model("pump-anomaly")).Runtime.ToSessionOptions();

        Assert.Equal(1, options.IntraOpThreads);
        Assert.False(options.AllowSpinning);
    }

    [Fact]
    public void Read_RuntimeSection_SetsThreadsAndSpinning()
    {
        CopyModel("pump-anomaly");
        File.AppendAllText(Path.Combine(_folder, "card.yaml"), "runtime:\n  intra_op_threads: 2\n  allow_spinning: true\n");

        var options = ModelCardReader.Read(_folder).Runtime.ToSessionOptions();

        Assert.Equal(2, options.IntraOpThreads);
        Assert.True(options.AllowSpinning);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void Read_RuntimeThreadsOutOfRange_NamesTheKeyAndTheValue(int threads)
    {
        CopyModel("pump-anomaly");
        var cardPath = Path.Combine(_folder, "card.yaml");
        File.AppendAllText(cardPath, $"runtime:\n  intra_op_threads: {threads}\n");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.Equal([$"{cardPath}: runtime.intra_op_threads: must be 0 (ONNX Runtime's default: one per physical core) to 64 (was {threads})"], ex.Problems);
    }

    [Fact]
    public void Read_LatencyLimit_IsTheHubsLatencyRule()
    {
        CopyModel("pump-anomaly");
        File.AppendAllText(Path.Combine(_folder, "card.yaml"), "runtime:\n  latency_p99_ms: 12.5\n");

        Assert.Equal(12.5, ModelCardReader.Read(_folder).Runtime.LatencyP99Ms);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("60001")]
    public void Read_LatencyLimitOutOfRange_NamesTheKeyAndTheValue(string limit)
    {
        CopyModel("pump-anomaly");
        var cardPath = Path.Combine(_folder, "card.yaml");
        File.AppendAllText(cardPath, $"runtime:\n  latency_p99_ms: {limit}\n");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.Equal([$"{cardPath}: runtime.latency_p99_ms: must be above 0 and at most 60000 milliseconds (was {limit})"], ex.Problems);
    }

    [Fact]
    public void Load_CorruptOnnx_NamesModelAndCarriesRuntimeMessage()
    {
        CopyModel("steel-defects");

        File.WriteAllBytes(Path.Combine(_folder, "steel-defects.onnx"), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var environment = OnnxEnvironment.Create();

        var ex = Assert.Throws<OnnxRuntimeException>(() => ModelPackage.Load(_folder, environment, new DynamicBatcherOptions()));

        Assert.StartsWith("loading model 'steel-defects'", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.RuntimeMessage));
    }

    /// <summary>Copies a shipped model, replaces text in its card, and loads it: the card no longer agrees with the graph.</summary>
    private ModelCardException LoadWithCardEdit(string name, string oldText, string newText)
    {
        CopyModel(name);
        var cardPath = Path.Combine(_folder, "card.yaml");
        File.WriteAllText(cardPath, File.ReadAllText(cardPath).Replace(oldText, newText, StringComparison.Ordinal));
        using var environment = OnnxEnvironment.Create();
        return Assert.Throws<ModelCardException>(() => ModelPackage.Load(_folder, environment, new DynamicBatcherOptions()));
    }

    private void CopyModel(string name)
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Model(name)))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }
}
