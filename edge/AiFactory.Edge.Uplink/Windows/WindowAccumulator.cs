using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Windows;

/// <summary>One station's counts, histograms and events for the open window of one model version.</summary>
internal sealed class WindowAccumulator(string model, string modelVersion, IReadOnlyList<double> scoreBounds, IReadOnlyList<double> latencyBounds)
{
    public string Model { get; } = model;

    public string ModelVersion { get; } = modelVersion;

    public long Frames { get; private set; }

    public long Pass { get; private set; }

    public long Fail { get; private set; }

    public long Anomalies { get; private set; }

    public Dictionary<string, long> Classes { get; } = new(StringComparer.Ordinal);

    public MergeableHistogram Scores { get; } = new(scoreBounds);

    public MergeableHistogram LatencyMs { get; } = new(latencyBounds);

    public List<StationEvent> Events { get; } = [];

    public void Add(bool pass, bool anomaly, string? className, double score, double latencyMs)
    {
        Frames++;
        if (pass)
        {
            Pass++;
        }
        else
        {
            Fail++;
        }

        if (anomaly)
        {
            Anomalies++;
        }

        if (className is not null)
        {
            Classes[className] = Classes.GetValueOrDefault(className) + 1;
        }

        // A score the model could not make finite still counts as a frame; it has no place on the histogram.
        if (double.IsFinite(score))
        {
            Scores.Record(score);
        }

        if (double.IsFinite(latencyMs) && latencyMs >= 0)
        {
            LatencyMs.Record(latencyMs);
        }
    }
}
