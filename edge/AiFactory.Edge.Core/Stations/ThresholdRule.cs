using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Core.Stations;

/// <summary>The anomaly threshold from an asset's calibration scores, as the card says: the method's value, raised to <c>floor</c> when the card gives one.</summary>
public static class ThresholdRule
{
    public static double Compute(CardThreshold rule, IReadOnlyList<double> calibrationScores)
    {
        var finite = calibrationScores.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            throw new InvalidOperationException("no finite calibration score to compute a threshold from");
        }

        var threshold = rule.Method switch
        {
            "quantile" => Quantile(finite, rule.Quantile) * rule.Factor,
            "mean_std" => MeanPlusKStd(finite, rule.K),
            _ => throw new InvalidOperationException($"calibration.threshold.method '{rule.Method}' must be quantile or mean_std"),
        };
        return rule.Floor is { } floor ? Math.Max(threshold, floor) : threshold;
    }

    /// <summary>numpy's default (linear interpolation between the closest ranks).</summary>
    public static double Quantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    /// <summary>mean + k × population std (ddof = 0).</summary>
    public static double MeanPlusKStd(double[] values, double k)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        return mean + (k * Math.Sqrt(variance));
    }
}
