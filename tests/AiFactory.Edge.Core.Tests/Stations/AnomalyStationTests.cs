using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tests.Batching;

namespace AiFactory.Edge.Core.Tests.Stations;

[Trait("Category", "Unit")]
public sealed class AnomalyStationTests
{
    /// <summary>A three-feature anomaly card for the sum model, calibrating on 4 samples (shared with the batcher tests).</summary>
    internal static ModelCard Card() => new()
    {
        Name = "sum-model",
        Version = "1.0.0",
        Task = ModelCard.TaskAnomaly,
        Input = new CardInput { Name = "x", Features = ["a", "b", "c"], Window = 1 },
        Normalisation = new CardNormalisation { Kind = "per_asset", StdFloor = 1e-6 },
        Calibration = new CardCalibration { Samples = 4, Threshold = new CardThreshold { Method = "quantile", Quantile = 1.0, Factor = 1.0 } },
        Postprocess = new CardPostprocess { Smoothing = "none" },
        Output = new CardOutput { Score = "s" },
    };

    [Fact]
    public async Task Station_ScoresEverySampleInOrder_WithHandComputedNormalisation()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 0 });
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("s1", Card(), batcher, results.Add, maxInFlight: 3);

        // Feature a: 0, 2, 0, 2 -> mean 1, std 1; b and c are constant -> std floors, normalised 0.
        double[][] samples = [[0, 5, 5], [2, 5, 5], [0, 5, 5], [2, 5, 5], [4, 5, 5], [1, 5, 5]];
        foreach (var s in samples)
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch, s);
        }

        await station.FlushAsync();

        Assert.Equal([-1.0, 1, -1, 1, 3, 0], results.Select(r => r.RawScore));
        Assert.Equal(1.0, station.Threshold);
        Assert.Equal([false, false, false, false, true, false], results.Select(r => r.Anomaly));
        Assert.Equal([true, true, true, true, false, false], results.Select(r => r.Calibrating));
        Assert.Equal(1, station.Counters.Anomalies);
    }

    [Fact]
    public async Task Station_NaNFeature_IsImputedCountedAndStillScored()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("s1", Card(), batcher, results.Add);

        double[][] samples = [[0, 5, 5], [2, 5, 5], [0, 5, 5], [2, 5, 5], [double.NaN, 5, 5]];
        foreach (var s in samples)
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch, s);
        }

        await station.FlushAsync();

        Assert.Equal(5, results.Count);
        Assert.True(results[4].Imputed);
        Assert.Equal(1.0, results[4].RawScore);
        Assert.Null(results[4].Error);
        Assert.Equal(1, station.Counters.NonFiniteValues);
    }

    [Fact]
    public async Task Station_WrongSampleWidth_NamesStationAndFeatures()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(), new DynamicBatcherOptions());
        var station = new AnomalyStation("pump-7", Card(), batcher, _ => { });

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => station.AddAsync(DateTimeOffset.UnixEpoch, [1.0, 2.0]).AsTask());

        Assert.Equal("station 'pump-7': a sample needs 3 values (a, b, c), got 2", ex.Message);
    }

    [Fact]
    public async Task Station_ExecutorFailure_GivesEveryAffectedSampleAnErrorResult()
    {
        var executor = new SumExecutor();
        await using var batcher = new DynamicBatcher(executor, new DynamicBatcherOptions { MaxQueueDelayMicroseconds = 0 });
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("s1", Card(), batcher, results.Add);
        foreach (var s in new double[][] { [0, 5, 5], [2, 5, 5], [0, 5, 5], [2, 5, 5] })
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch, s);
        }

        executor.FailWhen = _ => true;
        await station.AddAsync(DateTimeOffset.UnixEpoch, [1, 5, 5]);
        await station.FlushAsync();

        Assert.Equal(5, results.Count);
        Assert.Contains("simulated runtime failure", results[4].Error, StringComparison.Ordinal);
        Assert.False(results[4].Anomaly);
        Assert.Equal(1, station.Counters.Failures);
    }
}
