namespace AiFactory.Contracts;

/// <summary>How one model did at one station since it started there; every count only grows, so a repeated report changes nothing.</summary>
/// <param name="PackageId">The package (null: the model from the edge's configuration).</param>
/// <param name="Version">Its card's version.</param>
/// <param name="Frames">Frames it scored.</param>
/// <param name="Errors">Frames it failed to score (ONNX Runtime errors, non-finite outputs).</param>
/// <param name="Positives">Frames it judged fail or anomalous.</param>
/// <param name="Scores">Its scores (<see cref="StandardHistograms.ScoreBounds"/>).</param>
/// <param name="LatencyMs">Its latency per frame (<see cref="StandardHistograms.LatencyMsBounds"/>).</param>
public sealed record ModelRunStats(string? PackageId, string Version, long Frames, long Errors, long Positives, HistogramData Scores, HistogramData LatencyMs);
