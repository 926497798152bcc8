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
        Assert.Contains($"{card}: name: 'Pump_Anomaly' must be lower-case letters, digits and dashes (e.g. pump-anomaly)", ex.Problems);
        Assert.Contains($"{card}: onnx: 'missing.onnx' does not exist next to card.yaml", ex.Problems);
        Assert.Contains($"{card}: input.window: must be ≥ 1 (was 0)", ex.Problems);
        Assert.Contains($"{card}: calibration.threshold.method: 'median' must be quantile or mean_std", ex.Problems);
        Assert.Contains($"{card}: calibration.threshold.floor: must be a finite number (was {double.PositiveInfinity})", ex.Problems);
        Assert.Equal(5, ex.Problems.Count);
    }

    [Fact]
    public void CheckAgainst_CardDisagreeingWithGraph_NamesModelAndDisagreement()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Model("pump-anomaly")))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        var cardPath = Path.Combine(_folder, "card.yaml");
        File.WriteAllText(cardPath, File.ReadAllText(cardPath).Replace("window: 5", "window: 4", StringComparison.Ordinal));
        using var environment = OnnxEnvironment.Create();

        var ex = Assert.Throws<ModelCardException>(() => ModelPackage.Load(_folder, environment, new DynamicBatcherOptions()));

        Assert.Contains("model 'pump-anomaly'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("input 'input' takes 40 values per row in the graph, the card's window × features is 4 × 8 = 32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptOnnx_NamesModelAndCarriesRuntimeMessage()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Model("steel-defects")))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        File.WriteAllBytes(Path.Combine(_folder, "steel-defects.onnx"), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var environment = OnnxEnvironment.Create();

        var ex = Assert.Throws<OnnxRuntimeException>(() => ModelPackage.Load(_folder, environment, new DynamicBatcherOptions()));

        Assert.StartsWith("loading model 'steel-defects'", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.RuntimeMessage));
    }
}
