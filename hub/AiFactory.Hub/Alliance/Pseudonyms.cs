using System.Security.Cryptography;
using System.Text;

namespace AiFactory.Hub.Alliance;

/// <summary>Per-query pseudonyms: an HMAC of the company id under a key drawn for this query alone, so no two answers can be linked by them.</summary>
public sealed class Pseudonyms
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Of(string company) => "peer-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(company)))[..10];
}
