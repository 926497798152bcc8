using System.Security.Cryptography;
using System.Text;

namespace AiFactory.Hub.Tenancy;

/// <summary>
/// API keys look like <c>aif_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the stored row, the secret is only ever stored as
/// its SHA-256 hash and compared in constant time.
/// </summary>
public static class ApiKey
{
    private const string Prefix = "aif_";

    /// <summary>A new key: its id, the full key to hand out once, and the hash to store.</summary>
    public static (string Id, string Key, string Hash) Generate()
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key; false when it does not have the key's shape or its id breaks the id grammar.</summary>
    public static bool TryParse(string? presented, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return false;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var cut = rest.IndexOf('_');
        if (cut <= 0 || cut == rest.Length - 1)
        {
            return false;
        }

        id = rest[..cut].ToString();
        secret = rest[(cut + 1)..].ToString();
        if (!Contracts.EntityId.IsValid(id))
        {
            id = secret = string.Empty;
            return false;
        }

        return true;
    }

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
