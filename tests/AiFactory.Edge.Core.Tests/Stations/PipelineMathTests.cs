using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Core.Tests.Stations;

[Trait("Category", "Unit")]
public sealed class PipelineMathTests
{
    [Fact]
    public void FrameWindow_BeforeWindowIsFull_RepeatsFirstSample()
    {
        var window = new FrameWindow(features: 2, window: 3);
        var frame = new float[6];

        window.Push([1, 10], frame);
        Assert.Equal([1f, 10, 1, 10, 1, 10], frame);
        window.Push([2, 20], frame);
        Assert.Equal([1f, 10, 1, 10, 2, 20], frame);
        window.Push([3, 30], frame);
        Assert.Equal([1f, 10, 2, 20, 3, 30], frame);
        window.Push([4, 40], frame);
        Assert.Equal([2f, 20, 3, 30, 4, 40], frame);
    }

    [Fact]
    public void Normaliser_FromCalibration_UsesPopulationStdAndFloor()
    {
        var n = FeatureNormaliser.FromCalibration([[1.0, 5.0], [3.0, 5.0], [double.NaN, 5.0]], features: 2, stdFloor: 0.5);
        var target = new float[2];

        n.Apply([4.0, 6.0], target);

        Assert.Equal([2.0, 5.0], n.Mean);
        Assert.Equal([1.0, 0.5], n.Std);
        Assert.Equal([2f, 2f], target);
    }

    [Fact]
    public void Smoother_RollingMean_AveragesFewerAtTheStart()
    {
        var s = new ScoreSmoother(new CardPostprocess { Smoothing = "rolling_mean", Window = 2 });

        Assert.Equal([1.0, 2.0, 4.0, 6.0], new[] { 1.0, 3.0, 5.0, 7.0 }.Select(s.Next));
    }

    [Fact]
    public void Smoother_Ema_StartsAtFirstScore()
    {
        var s = new ScoreSmoother(new CardPostprocess { Smoothing = "ema", Alpha = 0.5 });

        Assert.Equal([4.0, 3.0, 5.5], new[] { 4.0, 2.0, 8.0 }.Select(s.Next));
    }

    [Fact]
    public void Threshold_Quantile_InterpolatesLikeNumpy()
    {
        // numpy.quantile([1, 2, 3, 4], 0.9) = 3.7
        var t = ThresholdRule.Compute(new CardThreshold { Method = "quantile", Quantile = 0.9, Factor = 2 }, [4.0, 1.0, 3.0, 2.0]);

        Assert.Equal(7.4, t, 12);
    }

    [Fact]
    public void Threshold_MeanStd_UsesPopulationStd()
    {
        var t = ThresholdRule.Compute(new CardThreshold { Method = "mean_std", K = 2 }, [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);

        Assert.Equal(9.0, t, 12);
    }

    [Theory]
    [InlineData(0.5, 3.7)]
    [InlineData(5.0, 5.0)]
    public void Threshold_WithFloor_IsTheMethodsValueRaisedToTheFloor(double floor, double expected)
    {
        var t = ThresholdRule.Compute(new CardThreshold { Method = "quantile", Quantile = 0.9, Factor = 1, Floor = floor }, [4.0, 1.0, 3.0, 2.0]);

        Assert.Equal(expected, t, 12);
    }
}
