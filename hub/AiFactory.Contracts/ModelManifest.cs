using System.Security.Cryptography;
using System.Text;

namespace AiFactory.Contracts;

/// <summary>
/// The canonical text that names a model package's files by their SHA-256: what the data scientist signs, what the hub
/// stores and what the edge checks after a download. Its own SHA-256 is the package's id, so a package is addressed by
/// its content and one changed byte in any file is another package.
/// </summary>
public static class ModelManifest
{
    /// <summary>The first line of every manifest: the format, so another one can come without ambiguity.</summary>
    public const string Header = "aifactory-model-package/1";

    /// <summary>
    /// <c>Header</c>, then one line <c>&lt;sha256 hex&gt; &lt;file name&gt;</c> per file, ordered by name (ordinal),
    /// each ending in a line feed, as UTF-8.
    /// </summary>
    public static byte[] Build(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (name, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append(Hex(SHA256.HashData(content))).Append(' ').Append(name).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The package id: the manifest's SHA-256, lower-case hex (64 characters).</summary>
    public static string Id(ReadOnlySpan<byte> manifest) => Hex(SHA256.HashData(manifest));

    /// <summary>Lower-case hex of <paramref name="bytes"/>.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>True when <paramref name="id"/> has the form of a package id (64 lower-case hex digits).</summary>
    public static bool IsId(string? id) =>
        id is { Length: 64 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>A short form of a package id for messages and listings (its first 12 digits).</summary>
    public static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
