using AiFactory.Contracts;

namespace AiFactory.Hub.Ingest;

/// <summary>What one batch adds to one aggregate row; summaries of the same row merge here before one upsert.</summary>
public sealed class BucketDelta
{
    public long Frames { get; private set; }

    public long Pass { get; private set; }

    public long Fail { get; private set; }

    public long Anomalies { get; private set; }

    public MergeableHistogram Scores { get; } = StandardHistograms.NewScore();

    public MergeableHistogram LatencyMs { get; } = StandardHistograms.NewLatencyMs();

    public Dictionary<string, long> Classes { get; } = new(StringComparer.Ordinal);

    /// <summary>Per tag: stale, out of range, NaN, gaps, decode errors.</summary>
    public Dictionary<string, long[]> Quality { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a validated summary; its counts are bounded (WireLimits), so the checked sums of a batch cannot wrap.</summary>
    public void Add(StationWindowSummary summary)
    {
        Frames = checked(Frames + summary.FramesScored);
        Pass = checked(Pass + summary.PassCount);
        Fail = checked(Fail + summary.FailCount);
        Anomalies = checked(Anomalies + summary.AnomalyCount);
        Scores.Merge(summary.Scores);
        LatencyMs.Merge(summary.LatencyMs);
        foreach (var (name, count) in summary.ClassCounts)
        {
            Classes[name] = checked(Classes.GetValueOrDefault(name) + count);
        }

        foreach (var q in summary.DataQuality)
        {
            if (!Quality.TryGetValue(q.Tag, out var sums))
            {
                Quality[q.Tag] = sums = new long[5];
            }

            sums[0] = checked(sums[0] + q.Stale);
            sums[1] = checked(sums[1] + q.OutOfRange);
            sums[2] = checked(sums[2] + q.NaN);
            sums[3] = checked(sums[3] + q.Gaps);
            sums[4] = checked(sums[4] + q.DecodeErrors);
        }
    }
}
