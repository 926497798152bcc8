namespace AiFactory.Hub.Alliance;

/// <summary>The percentiles a benchmark cell publishes, exact or from a noisy histogram.</summary>
public static class Distribution
{
    public static readonly double[] Quantiles = [0.10, 0.25, 0.50, 0.75, 0.90];

    /// <summary>The number of equal-width bins of the differentially private histogram over a metric's range.</summary>
    public const int Bins = 20;

    /// <summary>Exact percentiles, interpolated linearly between the sorted values.</summary>
    public static double[] Exact(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return Quantiles.Select(q =>
        {
            var at = q * (sorted.Length - 1);
            var lo = (int)Math.Floor(at);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            return sorted[lo] + ((sorted[hi] - sorted[lo]) * (at - lo));
        }).ToArray();
    }

    /// <summary>
    /// The differentially private histogram: every company's value, clipped to [low, high], counts 1 in one of
    /// <see cref="Bins"/> bins, so adding or removing a company changes one count by 1 (sensitivity 1), and every bin
    /// gets the alliance's noise for ε (<see cref="NoiseMechanism"/>).
    /// </summary>
    public static double[] NoisyHistogram(IReadOnlyList<double> values, double low, double high, AllianceSettings rules, double epsilon, NoiseSource noise)
    {
        var counts = new double[Bins];
        foreach (var v in values)
        {
            counts[Bin(v, low, high)] += 1;
        }

        for (var i = 0; i < Bins; i++)
        {
            counts[i] += NoiseMechanism.Draw(rules, epsilon, noise);
        }

        return counts;
    }

    /// <summary>Percentiles read from a (noisy) histogram: negative counts count as 0, values interpolated within a bin.</summary>
    public static double[] FromHistogram(double[] counts, double low, double high)
    {
        var clamped = counts.Select(c => Math.Max(0, c)).ToArray();
        var total = clamped.Sum();
        var width = (high - low) / counts.Length;
        return Quantiles.Select(q =>
        {
            if (total <= 0)
            {
                return low + ((high - low) / 2);
            }

            var target = q * total;
            var seen = 0.0;
            for (var i = 0; i < clamped.Length; i++)
            {
                if (clamped[i] > 0 && seen + clamped[i] >= target)
                {
                    return low + (width * (i + ((target - seen) / clamped[i])));
                }

                seen += clamped[i];
            }

            return high;
        }).ToArray();
    }

    public static int Bin(double value, double low, double high)
    {
        var clipped = Math.Clamp(value, low, high);
        return Math.Min(Bins - 1, (int)((clipped - low) / (high - low) * Bins));
    }
}
