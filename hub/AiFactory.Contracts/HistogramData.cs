namespace AiFactory.Contracts;

/// <summary>The wire form of a <see cref="MergeableHistogram"/>; Min and Max are null when Count is 0.</summary>
/// <param name="Bounds">Strictly increasing bucket upper bounds.</param>
/// <param name="Counts">Counts per bucket, one more than <paramref name="Bounds"/> (overflow last).</param>
/// <param name="Sum">Sum of recorded values.</param>
/// <param name="Count">Number of recorded values.</param>
/// <param name="Min">Smallest recorded value.</param>
/// <param name="Max">Largest recorded value.</param>
[System.Text.Json.Serialization.JsonConverter(typeof(HistogramDataConverter))]
public sealed record HistogramData(
    IReadOnlyList<double> Bounds,
    IReadOnlyList<long> Counts,
    double Sum,
    long Count,
    double? Min,
    double? Max);
