using AiFactory.Contracts;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// PSI and KS between a feature's calibration and live histograms (the same bounds, <see cref="FeatureDistribution.ZBounds"/>).
/// PSI below 0.1 is read as no drift, up to 0.25 as moderate, above as an alarm (the usual credit-scoring reading);
/// fewer than <see cref="MinSamples"/> samples on either side judge nothing.
/// </summary>
public static class DriftMeasure
{
    public const long MinSamples = 100;

    /// <summary>The level of a feature with fewer than <see cref="MinSamples"/> on either side: not judged.</summary>
    public const string TooFewSamples = "too-few-samples";

    public const double ModeratePsi = 0.1;

    public const double AlarmPsi = 0.25;

    /// <summary>An empty bucket's share: PSI's logarithm needs a floor.</summary>
    private const double Floor = 1e-4;

    public static FeatureDrift Measure(FeatureDistribution feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var (e, a) = (feature.Calibration, feature.Live);
        double psi = 0, ks = 0, cumE = 0, cumA = 0;
        var eTotal = Total(e);
        var aTotal = Total(a);
        if (eTotal > 0 && aTotal > 0)
        {
            for (var i = 0; i < e.Counts.Count; i++)
            {
                var pe = (double)e.Counts[i] / eTotal;
                var pa = (double)a.Counts[i] / aTotal;
                var (fe, fa) = (Math.Max(pe, Floor), Math.Max(pa, Floor));
                psi += (fa - fe) * Math.Log(fa / fe);
                cumE += pe;
                cumA += pa;
                ks = Math.Max(ks, Math.Abs(cumE - cumA));
            }
        }

        var level = eTotal < MinSamples || aTotal < MinSamples ? TooFewSamples : psi < ModeratePsi ? "none" : psi < AlarmPsi ? "moderate" : "alarm";
        return new FeatureDrift(feature.Feature, eTotal, aTotal, psi, ks, level);
    }

    public static StationDrift Of(ReportedStation r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var features = r.Report.Inputs.Select(Measure).ToList();
        return new StationDrift(r.Station, r.Report.ModelName, r.EdgeId, r.ReceivedUtc, features.Any(f => f.Level == "alarm"), features);
    }

    private static long Total(HistogramData h) => h.Counts.Sum();
}
