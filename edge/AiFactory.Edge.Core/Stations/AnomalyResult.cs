using AiFactory.Edge.Core.Batching;

namespace AiFactory.Edge.Core.Stations;

/// <summary>The verdict on one sample of an anomaly station.</summary>
/// <param name="Index">0-based position of the sample in the station's stream.</param>
/// <param name="RawScore">The graph's score of the frame ending with this sample.</param>
/// <param name="Score">The smoothed score the verdict compares with the threshold.</param>
/// <param name="Calibrating">The sample belongs to the asset's calibration set.</param>
/// <param name="Imputed">A feature was NaN or infinite and was replaced (last good value, else the calibration mean).</param>
/// <param name="Error">Why the sample could not be scored; null when it was.</param>
public readonly record struct AnomalyResult(
    string Station,
    string Model,
    string ModelVersion,
    long Index,
    DateTimeOffset Timestamp,
    double RawScore,
    double Score,
    double Threshold,
    bool Anomaly,
    bool Calibrating,
    bool Imputed,
    InferenceTiming Timing,
    string? Error);
