using AiFactory.Hub.Alliance;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>
/// Kolmogorov–Smirnov tests of the noise against the Laplace distribution it must follow. With n = 20,000 draws the
/// 5 % critical value is 1.358 / √n = 0.0096: the drawn noise must stay below it, and the same draws compared with a
/// scale 15 % off must exceed it (the test can tell a wrong calibration).
/// </summary>
[Trait("Category", "Unit")]
public sealed class NoiseScaleTests
{
    private const int N = 20_000;
    private static readonly double Critical = 1.358 / Math.Sqrt(N);

    private static double LaplaceCdf(double x, double b) => x < 0 ? 0.5 * Math.Exp(x / b) : 1 - (0.5 * Math.Exp(-x / b));

    /// <summary>The normal CDF through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7: far below the KS critical value).</summary>
    private static double NormalCdf(double x, double sigma)
    {
        var z = Math.Abs(x) / (sigma * Math.Sqrt(2));
        var t = 1 / (1 + (0.3275911 * z));
        var poly = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (poly * Math.Exp(-z * z));
        return x < 0 ? (1 - erf) / 2 : (1 + erf) / 2;
    }

    private static double Ks(double[] samples, double b) => Ks(samples, x => LaplaceCdf(x, b));

    private static double Ks(double[] samples, Func<double, double> cdf)
    {
        var sorted = samples.Order().ToArray();
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(Math.Abs(f - ((double)i / sorted.Length)), Math.Abs(((i + 1.0) / sorted.Length) - f)));
        }

        return d;
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    public void LaplaceNoise_HasScaleOneOverEpsilon(double epsilon)
    {
        var noise = new SeededNoiseSource(20261206);
        var samples = Enumerable.Range(0, N).Select(_ => noise.Laplace(1 / epsilon)).ToArray();

        Assert.True(Ks(samples, 1 / epsilon) < Critical, $"KS {Ks(samples, 1 / epsilon):F5} against Laplace(1/ε) is not below {Critical:F5}");
        Assert.True(Ks(samples, 1.15 / epsilon) > Critical, $"KS {Ks(samples, 1.15 / epsilon):F5} against a 15 % wider scale is not above {Critical:F5}");
    }

    [Theory]
    [InlineData(0.1, 1e-6)]
    [InlineData(0.9, 1e-3)]
    public void GaussianNoise_HasTheClassicSigma(double epsilon, double delta)
    {
        var noise = new SeededNoiseSource(20261207);
        var rules = new AllianceSettings("a", "a", DifferentialPrivacy: true, Mechanism: NoiseMechanism.Gaussian, Delta: delta);
        var sigma = Math.Sqrt(2 * Math.Log(1.25 / delta)) / epsilon;
        var samples = Enumerable.Range(0, N).Select(_ => NoiseMechanism.Draw(rules, epsilon, noise)).ToArray();

        Assert.Equal(sigma, NoiseMechanism.GaussianSigma(epsilon, delta), 12);
        Assert.True(Ks(samples, x => NormalCdf(x, sigma)) < Critical, $"KS {Ks(samples, x => NormalCdf(x, sigma)):F5} against N(0, σ²) is not below {Critical:F5}");
        Assert.True(Ks(samples, x => NormalCdf(x, 1.15 * sigma)) > Critical, $"KS {Ks(samples, x => NormalCdf(x, 1.15 * sigma)):F5} against a 15 % wider σ is not above {Critical:F5}");
        Assert.True(Ks(samples, x => NormalCdf(x, sigma / 1.15)) > Critical, $"KS {Ks(samples, x => NormalCdf(x, sigma / 1.15)):F5} against a 15 % narrower σ is not above {Critical:F5}");
    }

    [Theory]
    [InlineData(NoiseMechanism.Gaussian, 1.0, 1e-6, "epsilonPerQuery 1 must be below 1 for the Gaussian mechanism: its classic calibration σ = sqrt(2 ln(1.25/δ))/ε holds only for ε < 1.")]
    [InlineData(NoiseMechanism.Gaussian, 0.5, 0.01, "delta 0.01 must be above 0 and at most 0.001 for the Gaussian mechanism.")]
    [InlineData(NoiseMechanism.Gaussian, 0.5, 0, "delta 0 must be above 0 and at most 0.001 for the Gaussian mechanism.")]
    [InlineData("exponential", 0.5, 1e-6, "mechanism 'exponential' is not a noise mechanism; use laplace or gaussian.")]
    [InlineData(NoiseMechanism.Laplace, 1.0, 0.5, null)]
    public void Settings_WhereTheCalibrationDoesNotHold_AreRefused(string mechanism, double epsilon, double delta, string? problem) =>
        Assert.Equal(problem, new AllianceSettings("a", "a", EpsilonBudget: 5, EpsilonPerQuery: epsilon, Mechanism: mechanism, Delta: delta).Problem());

    [Fact]
    public void NoisyHistogramBin_IsTheTrueCountPlusLaplaceOfScaleOneOverEpsilon()
    {
        var noise = new SeededNoiseSource(7);
        var values = new[] { 0.91, 0.93, 0.95, 0.97, 0.99, 0.42 };
        var trueBin = Distribution.Bin(0.91, 0, 1);
        var deviations = Enumerable.Range(0, N).Select(_ => Distribution.NoisyHistogram(values, 0, 1, new AllianceSettings("a", "a"), 0.5, noise)[trueBin] - 2).ToArray();

        Assert.Equal(18, trueBin);
        Assert.True(Ks(deviations, 2) < Critical, $"KS {Ks(deviations, 2):F5} not below {Critical:F5}");
    }

    [Fact]
    public void CryptoNoise_IsLaplaceToo()
    {
        var noise = new CryptoNoiseSource();
        var samples = Enumerable.Range(0, N).Select(_ => noise.Laplace(3)).ToArray();

        // Not seeded: at the 0.1 % level (1.949 / √n) a correct source fails one run in a thousand.
        Assert.True(Ks(samples, 3) < 1.949 / Math.Sqrt(N), $"KS {Ks(samples, 3):F5}");
    }

    [Fact]
    public void Percentiles_FromANoiselessHistogram_FallInTheRightBins()
    {
        var counts = new double[Distribution.Bins];
        counts[2] = 10;
        counts[10] = 10;

        var p = Distribution.FromHistogram(counts, 0, 1);

        Assert.Equal([0.11, 0.125, 0.15, 0.525, 0.54], p.Select(x => Math.Round(x, 10)).ToArray());
        Assert.Equal([2.4, 3.0, 4.0, 5.0, 5.6], Distribution.Exact([6, 2, 4, 5, 3]).Select(x => Math.Round(x, 10)).ToArray());
    }
}
