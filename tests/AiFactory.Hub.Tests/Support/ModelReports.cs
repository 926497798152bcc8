using AiFactory.Contracts;

namespace AiFactory.Hub.Tests.Support;

/// <summary>Model reports as an edge sends them, with chosen figures.</summary>
internal static class ModelReports
{
    /// <summary>Figures of a model: <paramref name="frames"/> scored, <paramref name="positives"/> of them fail/anomalous, each taking <paramref name="latencyMs"/>.</summary>
    public static ModelRunStats Run(string? packageId, string version, long frames, long positives, long errors = 0, double latencyMs = 0.4)
    {
        var scores = StandardHistograms.NewScore();
        var latency = StandardHistograms.NewLatencyMs();
        for (var i = 0; i < frames; i++)
        {
            scores.Record(i < positives ? 0.9 : 0.1);
            latency.Record(latencyMs);
        }

        return new ModelRunStats(packageId, version, frames, errors, positives, scores.ToData(), latency.ToData());
    }

    public static StationModelReport Station(
        string line, string station, string model, ModelRunStats production, ModelRunStats? shadow = null, long compared = 0, long agreed = 0,
        IReadOnlyList<ModelFailure>? failures = null, IReadOnlyList<FeatureDistribution>? inputs = null) =>
        new(line, station, model, production, shadow, compared, agreed, failures ?? [], inputs ?? []);

    /// <summary>A feature's histograms: calibration samples around 0, live ones around <paramref name="liveMean"/>, deterministically spread.</summary>
    public static FeatureDistribution Feature(string name, double liveMean, int samples = 1000)
    {
        var calibration = new MergeableHistogram(FeatureDistribution.ZBounds);
        var live = new MergeableHistogram(FeatureDistribution.ZBounds);
        for (var i = 0; i < samples; i++)
        {
            var spread = ((i % 41) - 20) / 10.0;
            calibration.Record(spread);
            live.Record(liveMean + spread);
        }

        return new FeatureDistribution(name, calibration.ToData(), live.ToData());
    }
}
