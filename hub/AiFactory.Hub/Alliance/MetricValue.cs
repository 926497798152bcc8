using AiFactory.Contracts;

namespace AiFactory.Hub.Alliance;

/// <summary>A company's value of a metric family over some of its lines: their counts summed first, then the ratio.</summary>
public static class MetricValue
{
    /// <returns>The value, or null when the lines hold nothing to compute it from (no judged frames, no frames).</returns>
    public static double? Of(MetricFamily metric, IReadOnlyCollection<LineTotals> lines, double periodHours)
    {
        long frames = 0, pass = 0, fail = 0, anomalies = 0, driftReports = 0;
        var drift = 0.0;
        foreach (var l in lines)
        {
            frames += l.Frames;
            pass += l.Pass;
            fail += l.Fail;
            anomalies += l.Anomalies;
            drift += l.DriftSum;
            driftReports += l.DriftReports;
        }

        return metric switch
        {
            MetricFamily.FirstPassYield => pass + fail == 0 ? null : (double)pass / (pass + fail),
            MetricFamily.DefectRate => pass + fail == 0 ? null : (double)fail / (pass + fail),
            MetricFamily.AnomalyRate => frames == 0 ? null : (double)anomalies / frames,
            MetricFamily.Throughput => frames == 0 ? null : frames / (lines.Count * periodHours),
            MetricFamily.ModelLatency => LatencyP95(lines),
            MetricFamily.Drift => driftReports == 0 ? null : drift / driftReports,
            _ => null,
        };
    }

    private static double? LatencyP95(IReadOnlyCollection<LineTotals> lines)
    {
        var bounds = StandardHistograms.LatencyMsBounds;
        var counts = new long[bounds.Count + 1];
        long n = 0;
        foreach (var l in lines)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += l.Latency[i];
                n += l.Latency[i];
            }
        }

        if (n == 0)
        {
            return null;
        }

        // The bucket that holds the 95th percentile, read at its upper bound (the overflow bucket at the last bound).
        var target = 0.95 * n;
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= target)
            {
                return bounds[Math.Min(i, bounds.Count - 1)];
            }
        }

        return bounds[^1];
    }
}
