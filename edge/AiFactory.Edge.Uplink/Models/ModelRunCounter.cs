using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Models;

/// <summary>One model's figures at one station since it started there: frames, errors, fail/anomaly verdicts, scores and latency.</summary>
public sealed class ModelRunCounter(string? packageId, string version)
{
    private readonly MergeableHistogram _scores = StandardHistograms.NewScore();
    private readonly MergeableHistogram _latency = StandardHistograms.NewLatencyMs();
    private long _frames;
    private long _errors;
    private long _positives;

    public string? PackageId { get; } = packageId;

    public long Errors => _errors;

    public long Frames => _frames;

    public void Scored(double score, bool positive, TimeSpan latency)
    {
        _frames++;
        if (positive)
        {
            _positives++;
        }

        if (double.IsFinite(score))
        {
            _scores.Record(score);
        }

        _latency.Record(latency.TotalMilliseconds);
    }

    public void Failed() => _errors++;

    public ModelRunStats ToStats() => new(PackageId, version, _frames, _errors, _positives, _scores.ToData(), _latency.ToData());
}
