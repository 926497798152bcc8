using System.Security.Cryptography;

namespace AiFactory.Hub.Alliance;

/// <summary>Noise from the operating system's cryptographic generator: an analyst cannot predict or replay it.</summary>
public sealed class CryptoNoiseSource : NoiseSource
{
    public override double NextUniform()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var bits = BitConverter.ToUInt64(bytes) >> 11;
        return (bits + 0.5) / (1UL << 53);
    }
}
