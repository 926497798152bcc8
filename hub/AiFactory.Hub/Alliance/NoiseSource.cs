namespace AiFactory.Hub.Alliance;

/// <summary>
/// Where differential-privacy noise comes from. The hub registers <see cref="CryptoNoiseSource"/>; tests register a
/// seeded one, so a statistical test of the noise is repeatable.
/// </summary>
public abstract class NoiseSource
{
    /// <summary>A uniform draw in the open interval (0, 1).</summary>
    public abstract double NextUniform();

    /// <summary>A draw from the Laplace distribution centred on 0 with scale <paramref name="scale"/> (inverse CDF).</summary>
    public double Laplace(double scale)
    {
        var u = NextUniform() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)));
    }

    /// <summary>A draw from the normal distribution centred on 0 with standard deviation <paramref name="sigma"/> (Box–Muller).</summary>
    public double Gaussian(double sigma)
    {
        var radius = Math.Sqrt(-2 * Math.Log(NextUniform()));
        return sigma * radius * Math.Cos(2 * Math.PI * NextUniform());
    }
}
