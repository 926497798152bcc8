namespace AiFactory.Hub.Deployments;

/// <summary>
/// How far one input feature's live distribution has moved from the one its model was calibrated on.
/// </summary>
/// <param name="Feature">The card's feature.</param>
/// <param name="CalibrationSamples">Samples in the calibration histogram.</param>
/// <param name="LiveSamples">Samples in the live histogram.</param>
/// <param name="Psi">Population stability index over the shared buckets (empty buckets count as 0.0001).</param>
/// <param name="Ks">Kolmogorov–Smirnov distance: the largest gap between the two cumulative distributions at a bucket bound.</param>
/// <param name="Level"><c>none</c> (PSI &lt; 0.1), <c>moderate</c> (&lt; 0.25), <c>alarm</c>, or <c>too-few-samples</c>.</param>
public sealed record FeatureDrift(string Feature, long CalibrationSamples, long LiveSamples, double Psi, double Ks, string Level);
