using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tests.Batching;

namespace AiFactory.Edge.Core.Tests.Stations;

/// <summary>Sliding windows with a stride: every sample enters the card's window, every stride-th window is scored.</summary>
[Trait("Category", "Unit")]
public sealed class AnomalyStationStrideTests
{
    private static ModelCard Card() => new()
    {
        Name = "sum-model",
        Version = "1.0.0",
        Task = ModelCard.TaskAnomaly,
        Input = new CardInput { Name = "x", Features = ["a", "b", "c"], Window = 2 },
        Normalisation = new CardNormalisation { Kind = "per_asset", StdFloor = 1e-6 },
        Calibration = new CardCalibration { Samples = 4, Threshold = new CardThreshold { Method = "quantile", Quantile = 1.0, Factor = 1.0 } },
        Postprocess = new CardPostprocess { Smoothing = "none" },
        Output = new CardOutput { Score = "s" },
    };

    [Fact]
    public async Task StrideTwo_ScoresSamplesZeroTwoFour_WithWindowsOverEverySample()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(frameLength: 6), new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 0 });
        var results = new List<AnomalyResult>();
        var station = new AnomalyStation("s1", Card(), batcher, results.Add, maxInFlight: 3, stride: 2);

        // Feature a normalises to -1, 1, -1, 1, 3, 0 (mean 1, std 1 over the first four); b and c to 0.
        // Windows of two (the first repeats sample 0): sums -2, 0, 0, 0, 4, 3; stride 2 keeps samples 0, 2, 4.
        double[][] samples = [[0, 5, 5], [2, 5, 5], [0, 5, 5], [2, 5, 5], [4, 5, 5], [1, 5, 5]];
        for (var i = 0; i < samples.Length; i++)
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch.AddSeconds(i), samples[i]);
        }

        await station.FlushAsync();

        Assert.Equal([0L, 2, 4], results.Select(r => r.Timestamp.ToUnixTimeSeconds()));
        Assert.Equal([-2.0, 0, 4], results.Select(r => r.RawScore));
        Assert.Equal([true, true, false], results.Select(r => r.Calibrating));
        Assert.Equal(0.0, station.Threshold);
        Assert.Equal([false, false, true], results.Select(r => r.Anomaly));
        Assert.Equal(6, station.Counters.Samples);
    }

    [Fact]
    public async Task StrideZero_IsRefused()
    {
        await using var batcher = new DynamicBatcher(new SumExecutor(frameLength: 6), new DynamicBatcherOptions());

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AnomalyStation("s1", Card(), batcher, _ => { }, stride: 0));

        Assert.Equal("stride", ex.ParamName);
    }
}
