using AiFactory.Edge.Core.Models;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Models;

/// <summary>Cards that crashed the reader under afl++ (deploy/fuzz.sh, card target), kept as they were found in FuzzCrashes/.</summary>
[Trait("Category", "Unit")]
public sealed class ModelCardFuzzCrashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aifactory-card-crash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("card-0.yaml")]
    [InlineData("card-1.yaml")]
    public void Read_TaggedEmptyOutput_ListsItAsAProblem(string crash)
    {
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "AiFactory.Edge.Core.Tests", "FuzzCrashes", crash), Path.Combine(_folder, "card.yaml"));

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.Equal($"{Path.Combine(_folder, "card.yaml")}: output: is empty; it needs a value (see models/CARD-FORMAT.md)", Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData("card-2.yaml", "calibration.threshold: is empty; it needs a value (see models/CARD-FORMAT.md)")]
    [InlineData("card-3.yaml", "not a valid model card: the YAML parser stopped (")]
    [InlineData("card-4.yaml", "not a valid model card: the YAML parser stopped (Global tags must be valid URIs. (Parameter 'value'))")]
    public void Read_CardThatCrashedTheChecksOrTheParser_ListsAProblem(string crash, string problem)
    {
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "AiFactory.Edge.Core.Tests", "FuzzCrashes", crash), Path.Combine(_folder, "card.yaml"));

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.StartsWith($"{Path.Combine(_folder, "card.yaml")}: {problem}", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("output: ~", "output")]
    [InlineData("name:", "name")]
    [InlineData("input: {name: input, features: [a, ~]}", "input.features")]
    public void Read_EmptySection_ListsItAsAProblem(string line, string key)
    {
        File.WriteAllText(Path.Combine(_folder, "card.yaml"), $"name: x\nversion: 1.0.0\ntask: anomaly\nonnx: x.onnx\n{line}\n");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(_folder));

        Assert.Contains($"{Path.Combine(_folder, "card.yaml")}: {key}: is empty; it needs a value (see models/CARD-FORMAT.md)", ex.Problems);
    }
}
