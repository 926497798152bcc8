namespace AiFactory.Contracts;

/// <summary>
/// One input feature of a station: the distribution its model was calibrated on and the live one since, both over
/// <see cref="FeatureDistribution.ZBounds"/> (values normalised as the model sees them).
/// </summary>
/// <param name="Feature">The card's feature name.</param>
/// <param name="Calibration">The calibration samples.</param>
/// <param name="Live">The samples scored since calibration ended (cumulative).</param>
public sealed record FeatureDistribution(string Feature, HistogramData Calibration, HistogramData Live)
{
    /// <summary>Bucket bounds for normalised inputs: quarter steps of a standard deviation within ±3, coarser to ±10.</summary>
    public static IReadOnlyList<double> ZBounds { get; } =
    [
        -10, -5, -4, -3, -2.75, -2.5, -2.25, -2, -1.75, -1.5, -1.25, -1, -0.75, -0.5, -0.25, 0,
        0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 4, 5, 10,
    ];
}
