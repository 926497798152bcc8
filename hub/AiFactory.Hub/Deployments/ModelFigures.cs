using AiFactory.Contracts;

namespace AiFactory.Hub.Deployments;

/// <summary>One model's figures summed over stations' reports: frames, errors, verdict rate, latency and scores.</summary>
public sealed class ModelFigures
{
    private readonly MergeableHistogram _latency = StandardHistograms.NewLatencyMs();
    private readonly MergeableHistogram _scores = StandardHistograms.NewScore();

    public long Frames { get; private set; }

    public long Errors { get; private set; }

    public long Positives { get; private set; }

    public double ErrorRate => Frames + Errors == 0 ? 0 : (double)Errors / (Frames + Errors);

    public double VerdictRate => Frames == 0 ? 0 : (double)Positives / Frames;

    public double LatencyP50Ms => _latency.Count == 0 ? 0 : _latency.Percentile(0.5);

    public double LatencyP99Ms => _latency.Count == 0 ? 0 : _latency.Percentile(0.99);

    public HistogramData Scores => _scores.ToData();

    public HistogramData LatencyMs => _latency.ToData();

    public void Add(ModelRunStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        Frames += stats.Frames;
        Errors += stats.Errors;
        Positives += stats.Positives;
        _latency.Merge(stats.LatencyMs);
        _scores.Merge(stats.Scores);
    }
}
