using AiFactory.Contracts;
using AiFactory.Hub.Deployments;

namespace AiFactory.Hub.Tests.Models;

/// <summary>PSI and KS over the shared buckets, checked against values worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class DriftMeasureTests
{
    [Fact]
    public void Measure_HalfTheMassMovedOneBucket_GivesThePsiAndKsWorkedOutByHand()
    {
        // Calibration: 200 samples in (-0.25, 0]; live: 100 there and 100 in (0, 0.25].
        var calibration = Histogram((-0.1, 200));
        var live = Histogram((-0.1, 100), (0.1, 100));

        var drift = DriftMeasure.Measure(new FeatureDistribution("Pressure", calibration, live));

        // PSI = (0.5 - 1) ln(0.5 / 1) + (0.5 - 0.0001) ln(0.5 / 0.0001); KS = 0.5.
        var expected = (-0.5 * Math.Log(0.5)) + (0.4999 * Math.Log(5000));
        Assert.Equal(expected, drift.Psi, 9);
        Assert.Equal(0.5, drift.Ks, 9);
        Assert.Equal(("alarm", 200L, 200L), (drift.Level, drift.CalibrationSamples, drift.LiveSamples));
    }

    [Fact]
    public void Measure_FewerSamplesThanTheMinimum_JudgesNothing()
    {
        var drift = DriftMeasure.Measure(new FeatureDistribution("Pressure", Histogram((0.1, 99)), Histogram((3.5, 500))));

        Assert.Equal("too-few-samples", drift.Level);
    }

    private static HistogramData Histogram(params (double Value, int Count)[] values)
    {
        var h = new MergeableHistogram(FeatureDistribution.ZBounds);
        foreach (var (value, count) in values)
        {
            for (var i = 0; i < count; i++)
            {
                h.Record(value);
            }
        }

        return h.ToData();
    }
}
