using System.Security.Cryptography;

namespace AiFactory.Contracts;

/// <summary>
/// ECDSA P-256 signatures over a package's manifest (<see cref="ModelManifest"/>) with SHA-256, in the IEEE P1363 form
/// (r‖s, 64 bytes), base64 on the wire. Public keys travel as base64 SubjectPublicKeyInfo; a key's id is the first
/// 16 hex digits of the SHA-256 of that SubjectPublicKeyInfo, so the same key has the same id everywhere.
/// </summary>
public static class PackageSignature
{
    /// <summary>Signs <paramref name="manifest"/> with a P-256 private key; answers the base64 signature.</summary>
    public static string Sign(ECDsa key, ReadOnlySpan<byte> manifest)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>The id of a public key given as base64 SubjectPublicKeyInfo.</summary>
    public static string KeyId(ReadOnlySpan<byte> subjectPublicKeyInfo) => ModelManifest.Hex(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>
    /// Reads a base64 SubjectPublicKeyInfo and checks it is an ECDSA P-256 public key; answers null and the reason
    /// otherwise.
    /// </summary>
    public static ECDsa? ReadPublicKey(string? base64, out string? problem)
    {
        byte[] spki;
        try
        {
            spki = Convert.FromBase64String(base64 ?? string.Empty);
        }
        catch (FormatException)
        {
            problem = "is not base64";
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                problem = "has bytes after the SubjectPublicKeyInfo";
            }
            else if (key.ExportParameters(false).Curve.Oid.Value != "1.2.840.10045.3.1.7")
            {
                problem = $"is an ECDSA key on curve '{key.ExportParameters(false).Curve.Oid.FriendlyName}', not P-256";
            }
            else
            {
                problem = null;
                return key;
            }
        }
        catch (CryptographicException ex)
        {
            problem = $"is not an ECDSA SubjectPublicKeyInfo ({ex.Message})";
        }

        key.Dispose();
        return null;
    }

    /// <summary>True when <paramref name="signature"/> (base64) is <paramref name="key"/>'s signature of <paramref name="manifest"/>.</summary>
    public static bool Verify(ECDsa key, ReadOnlySpan<byte> manifest, string? signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = new byte[64];
        return Convert.TryFromBase64String(signature ?? string.Empty, bytes, out var written) && written == 64
            && key.VerifyData(manifest, bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
