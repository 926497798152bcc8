using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>Station results as the edge's stations produce them.</summary>
internal static class Results
{
    public static AnomalyResult Anomaly(string station, double score, bool anomaly, double latencyMs = 1, DateTimeOffset? at = null, bool calibrating = false, string? error = null, string version = "1.0.0") =>
        new(station, "pump-anomaly", version, 0, at ?? Records.T0, score, score, 0.5, anomaly, calibrating, false, Timing(latencyMs), error);

    public static ClassificationResult Part(string station, int classIndex, string className, float confidence, double latencyMs = 2, string? error = null)
    {
        var probabilities = new float[3];
        if (classIndex >= 0)
        {
            probabilities[classIndex] = confidence;
        }

        return new ClassificationResult(station, "steel-defects", "1.0.0", 0, Records.T0, classIndex, className, probabilities, false, Timing(latencyMs), error);
    }

    private static InferenceTiming Timing(double ms) => new(TimeSpan.Zero, TimeSpan.FromMilliseconds(ms), 1);
}
