using System.Text.Json;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;
using AiFactory.Onnx;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Stations;

/// <summary>
/// The whole edge pipeline (calibration, normalisation, windows, batching, ONNX, smoothing, threshold)
/// against models/pump-anomaly/pipeline_reference.json, a synthetic stream run through the Python reference.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AnomalyStationReferenceTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(32, 500)]
    public async Task Station_OnReferenceStream_MatchesPythonPipeline(int maxBatch, int delayMicroseconds)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Model("pump-anomaly"), "pipeline_reference.json")));
        var root = reference.RootElement;
        var values = root.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        using var environment = OnnxEnvironment.Create();
        await using var package = ModelPackage.Load(RepoPaths.Model("pump-anomaly"), environment, new DynamicBatcherOptions { MaxBatchSize = maxBatch, MaxQueueDelayMicroseconds = delayMicroseconds });
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("pump-1", package.Card, package.Batcher, results.Add, maxInFlight: 64);
        var start = DateTimeOffset.UnixEpoch;

        for (var i = 0; i < values.Length; i++)
        {
            await station.AddAsync(start.AddSeconds(i), values[i]);
        }

        await station.FlushAsync();

        Assert.Equal(values.Length, results.Count);
        Assert.Equal(Enumerable.Range(0, values.Length).Select(i => (long)i), results.Select(r => r.Index));
        Assert.True(Math.Abs(root.GetProperty("threshold").GetDouble() - station.Threshold) <= 1e-4, $"threshold {station.Threshold}");
        var raw = root.GetProperty("raw_scores");
        var smoothed = root.GetProperty("smoothed");
        var anomaly = root.GetProperty("anomaly");
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(raw[i].GetDouble() - results[i].RawScore) <= 1e-4, $"row {i}: raw {results[i].RawScore} vs {raw[i].GetDouble()}");
            Assert.True(Math.Abs(smoothed[i].GetDouble() - results[i].Score) <= 1e-4, $"row {i}: smoothed {results[i].Score} vs {smoothed[i].GetDouble()}");
            Assert.Equal(anomaly[i].GetInt32() == 1, results[i].Anomaly);
            Assert.Equal(i < package.Card.Calibration!.Samples, results[i].Calibrating);
            Assert.Null(results[i].Error);
        }
    }

    [Fact]
    public async Task Stride3_ScoresEveryThirdWindow_WithTheSameRawScoresAsStride1()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Model("pump-anomaly"), "pipeline_reference.json")));
        var root = reference.RootElement;
        var values = root.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        using var environment = OnnxEnvironment.Create();
        await using var package = ModelPackage.Load(RepoPaths.Model("pump-anomaly"), environment, new DynamicBatcherOptions { MaxBatchSize = 32, MaxQueueDelayMicroseconds = 0 });
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("pump-1", package.Card, package.Batcher, results.Add, maxInFlight: 64, stride: 3);

        for (var i = 0; i < values.Length; i++)
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch.AddSeconds(i), values[i]);
        }

        await station.FlushAsync();

        Assert.Equal(Enumerable.Range(0, values.Length).Where(i => i % 3 == 0).Select(i => (long)i), results.Select(r => r.Index));
        var raw = root.GetProperty("raw_scores");
        Assert.All(results, r => Assert.True(Math.Abs(raw[(int)r.Index].GetDouble() - r.RawScore) <= 1e-4, $"row {r.Index}: raw {r.RawScore}"));
        Assert.Equal(package.Card.Calibration!.Samples / 3 + 1, results.Count(r => r.Calibrating));
    }
}
