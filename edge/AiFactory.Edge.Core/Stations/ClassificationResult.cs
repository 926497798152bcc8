using AiFactory.Edge.Core.Batching;

namespace AiFactory.Edge.Core.Stations;

/// <summary>The verdict on one part of a classification station.</summary>
/// <param name="ClassIndex">The predicted class (the graph's label when it has one, else the most probable class); -1 on error.</param>
/// <param name="Probabilities">One probability per class, in the card's class order.</param>
public sealed record ClassificationResult(
    string Station,
    string Model,
    string ModelVersion,
    long Index,
    DateTimeOffset Timestamp,
    int ClassIndex,
    string ClassName,
    float[] Probabilities,
    bool Imputed,
    InferenceTiming Timing,
    string? Error)
{
    public float Confidence => ClassIndex >= 0 ? Probabilities[ClassIndex] : float.NaN;
}
