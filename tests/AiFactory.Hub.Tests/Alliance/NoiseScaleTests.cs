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

    private static double Ks(double[] samples, double b)
    {
        var sorted = samples.Order().ToArray();
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var f = LaplaceCdf(sorted[i], b);
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

    [Fact]
    public void NoisyHistogramBin_IsTheTrueCountPlusLaplaceOfScaleOneOverEpsilon()
    {
        var noise = new SeededNoiseSource(7);
        var values = new[] { 0.91, 0.93, 0.95, 0.97, 0.99, 0.42 };
        var trueBin = Distribution.Bin(0.91, 0, 1);
        var deviations = Enumerable.Range(0, N).Select(_ => Distribution.NoisyHistogram(values, 0, 1, 0.5, noise)[trueBin] - 2).ToArray();

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
