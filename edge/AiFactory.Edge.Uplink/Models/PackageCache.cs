using System.Security.Cryptography;
using System.Text;
using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Models;

/// <summary>
/// Verified packages on the plant PC's disk, one folder per package id. A package is downloaded into
/// <c>&lt;id&gt;.partial</c>; only when the manifest's hash is the id, its signature verifies with the signing key,
/// and every file's SHA-256 is the manifest's, is the folder renamed to <c>&lt;id&gt;</c>. An agent killed mid-download
/// leaves a <c>.partial</c> folder, which the next attempt deletes; a corrupt file is refused and never renamed in.
/// A package folder is never changed again, so the last good version stays on disk for an offline start.
/// </summary>
public sealed class PackageCache(string root, IReadOnlyCollection<string>? trustedKeys = null)
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    /// <summary>The folder of a package already verified here; null when it is not.</summary>
    public string? Find(string packageId) =>
        ModelManifest.IsId(packageId) && Directory.Exists(Path.Combine(Root, packageId)) ? Path.Combine(Root, packageId) : null;

    /// <summary>The package's verified folder: from disk, or downloaded through <paramref name="download"/> and verified.</summary>
    /// <exception cref="PackageRejectedException">The reference, the signature or a file does not verify (stage <c>verify</c>), or a file cannot be fetched (<c>download</c>).</exception>
    public async Task<string> EnsureAsync(ModelPackageRef package, Func<string, CancellationToken, Task<byte[]>> download, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(download);
        var files = CheckManifest(package);
        if (Find(package.PackageId) is { } done)
        {
            return done;
        }

        var partial = Path.Combine(Root, package.PackageId + ".partial");
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        foreach (var (name, sha) in files)
        {
            byte[] content;
            try
            {
                content = await download(name, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new PackageRejectedException("download", $"package {ModelManifest.Short(package.PackageId)} ({package.Version}): file '{name}': {ex.Message}");
            }

            var got = ModelManifest.Hex(SHA256.HashData(content));
            if (got != sha)
            {
                Directory.Delete(partial, recursive: true);
                throw new PackageRejectedException(
                    "verify", $"package {ModelManifest.Short(package.PackageId)} ({package.Version}): file '{name}' has SHA-256 {got}, the signed manifest says {sha}; the download is refused");
            }

            await File.WriteAllBytesAsync(Path.Combine(partial, name), content, ct).ConfigureAwait(false);
        }

        var final = Path.Combine(Root, package.PackageId);
        Directory.Move(partial, final);
        return final;
    }

    /// <summary>Deletes package folders not in <paramref name="keep"/> and leftover partial downloads.</summary>
    public void Prune(IReadOnlySet<string> keep)
    {
        foreach (var dir in Directory.GetDirectories(Root))
        {
            var name = Path.GetFileName(dir);
            if (!keep.Contains(name) && (ModelManifest.IsId(name) || name.EndsWith(".partial", StringComparison.Ordinal)))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>The manifest's files (name → SHA-256), once the id and the signature check out.</summary>
    private List<(string Name, string Sha)> CheckManifest(ModelPackageRef package)
    {
        var what = $"package {ModelManifest.Short(package.PackageId ?? string.Empty)} ({package.Version})";
        var manifest = Encoding.UTF8.GetBytes(package.Manifest ?? string.Empty);
        if (!ModelManifest.IsId(package.PackageId) || ModelManifest.Id(manifest) != package.PackageId)
        {
            throw new PackageRejectedException("verify", $"{what}: the manifest's SHA-256 is not the package id; the hub's answer was altered");
        }

        if (trustedKeys is { Count: > 0 } && !trustedKeys.Contains(package.KeyId))
        {
            throw new PackageRejectedException("verify", $"{what}: signed by key '{package.KeyId}', which is not among this edge's trusted keys");
        }

        using var key = PackageSignature.ReadPublicKey(package.PublicKey, out var problem)
            ?? throw new PackageRejectedException("verify", $"{what}: the signing key {problem}");
        if (PackageSignature.KeyId(key.ExportSubjectPublicKeyInfo()) != package.KeyId || !PackageSignature.Verify(key, manifest, package.Signature))
        {
            throw new PackageRejectedException("verify", $"{what}: the signature does not verify with key '{package.KeyId}'");
        }

        var lines = package.Manifest!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0] != ModelManifest.Header)
        {
            throw new PackageRejectedException("verify", $"{what}: the manifest does not start with '{ModelManifest.Header}'");
        }

        var files = new List<(string, string)>();
        foreach (var line in lines.Skip(1))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var name = space == 64 ? line[65..] : string.Empty;
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('.'))
            {
                throw new PackageRejectedException("verify", $"{what}: manifest line '{line}' is not '<sha256> <file name>'");
            }

            files.Add((name, line[..64]));
        }

        return files;
    }
}
