using AiFactory.Hub.Alliance;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Repeatable noise for tests only: System.Random with a fixed seed.</summary>
internal sealed class SeededNoiseSource(int seed) : NoiseSource
{
    private readonly Random _random = new(seed);

    public override double NextUniform()
    {
        double u;
        do
        {
            u = _random.NextDouble();
        }
        while (u == 0);
        return u;
    }
}
