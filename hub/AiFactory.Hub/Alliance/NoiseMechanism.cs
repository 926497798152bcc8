using System.Globalization;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// The noise an alliance adds to each bin of a published histogram (sensitivity 1 in both L1 and L2: one company moves
/// one count by 1). Laplace of scale 1/ε gives ε-differential privacy. Gaussian uses the classic calibration
/// σ = sqrt(2 ln(1.25/δ))/ε (Dwork and Roth, The Algorithmic Foundations of Differential Privacy, Theorem A.1), which
/// gives (ε, δ)-differential privacy only for ε &lt; 1; a configuration or query outside it is refused.
/// </summary>
public static class NoiseMechanism
{
    public const string Laplace = "laplace";

    public const string Gaussian = "gaussian";

    /// <summary>The largest δ an alliance may set: the chance the guarantee fails outright must stay well below one in the number of companies.</summary>
    public const double MaxDelta = 1e-3;

    public static double GaussianSigma(double epsilon, double delta) => Math.Sqrt(2 * Math.Log(1.25 / delta)) / epsilon;

    /// <summary>Null when <paramref name="mechanism"/> can be calibrated for <paramref name="epsilon"/> and <paramref name="delta"/>; otherwise why not, naming <paramref name="field"/>.</summary>
    public static string? Problem(string mechanism, string field, double epsilon, double delta) => mechanism switch
    {
        Laplace => null,
        Gaussian when !(delta > 0 && delta <= MaxDelta) => FormattableString.Invariant($"delta {delta} must be above 0 and at most {MaxDelta} for the Gaussian mechanism."),
        Gaussian when !(epsilon > 0 && epsilon < 1) => string.Create(CultureInfo.InvariantCulture,
            $"{field} {epsilon} must be below 1 for the Gaussian mechanism: its classic calibration σ = sqrt(2 ln(1.25/δ))/ε holds only for ε < 1."),
        Gaussian => null,
        _ => $"mechanism '{mechanism}' is not a noise mechanism; use {Laplace} or {Gaussian}.",
    };

    /// <summary>One draw of the alliance's noise for a cell published at <paramref name="epsilon"/>.</summary>
    public static double Draw(AllianceSettings rules, double epsilon, NoiseSource noise)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(noise);
        return rules.Mechanism == Gaussian ? noise.Gaussian(GaussianSigma(epsilon, rules.Delta)) : noise.Laplace(1 / epsilon);
    }
}
