using System.Text.Json;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Onnx;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Models;

/// <summary>The edge's ONNX Runtime outputs equal the Python reference outputs (torch / scikit-learn) within 1e-4.</summary>
[Trait("Category", "Integration")]
public sealed class ReferenceOutputTests
{
    [Theory]
    [InlineData("pump-anomaly")]
    [InlineData("pump-vibration-flow")]
    [InlineData("steel-defects")]
    public async Task Model_OnReferenceInputs_MatchesPythonWithin1e4(string name)
    {
        using var environment = OnnxEnvironment.Create();
        await using var package = ModelPackage.Load(RepoPaths.Model(name), environment, new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 100 });
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Model(name), "reference.json")));
        var inputs = reference.RootElement.GetProperty("inputs").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var outputs = reference.RootElement.GetProperty("outputs");
        Assert.True(inputs.Length >= 16);

        var results = inputs.Select(_ => new float[package.Batcher.ResultLength]).ToArray();
        await Task.WhenAll(inputs.Select((frame, i) => package.Batcher.SubmitAsync(frame, results[i]).AsTask()));

        for (var i = 0; i < inputs.Length; i++)
        {
            if (package.Card.IsAnomaly)
            {
                var expected = outputs.GetProperty("score")[i].GetDouble();
                Assert.True(Math.Abs(expected - results[i][0]) <= 1e-4, $"row {i}: score {results[i][0]} vs Python {expected}");
            }
            else
            {
                Assert.Equal(outputs.GetProperty("label")[i].GetInt64(), (long)results[i][0]);
                var probabilities = outputs.GetProperty("probabilities")[i];
                for (var c = 0; c < package.Card.Output.Classes.Count; c++)
                {
                    var expected = probabilities[c].GetDouble();
                    Assert.True(Math.Abs(expected - results[i][1 + c]) <= 1e-4, $"row {i} class {c}: {results[i][1 + c]} vs Python {expected}");
                }
            }
        }
    }
}
