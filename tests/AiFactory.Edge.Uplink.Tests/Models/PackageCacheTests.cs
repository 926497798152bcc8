using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Edge.Uplink.Models;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Models;

/// <summary>Downloads are verified against the signed manifest before a package folder exists; nothing half-written is ever used.</summary>
[Trait("Category", "Unit")]
public sealed class PackageCacheTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly SignedPackage _package = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Ensure_SignedPackage_IsKeptUnderItsIdWithEveryFileAndNotDownloadedAgain()
    {
        var cache = new PackageCache(_dir.Path);

        var folder = await cache.EnsureAsync(_package.Ref, _package.DownloadAsync, CancellationToken.None);
        var again = await cache.EnsureAsync(_package.Ref, (_, _) => throw new InvalidOperationException("downloaded twice"), CancellationToken.None);

        Assert.Equal(Path.Combine(cache.Root, _package.Ref.PackageId), folder);
        Assert.Equal(folder, again);
        Assert.All(_package.Files, f => Assert.Equal(f.Value, File.ReadAllBytes(Path.Combine(folder, f.Key))));
    }

    [Fact]
    public async Task Ensure_CorruptDownload_IsRefusedLeavesNothingAndTheNextTryWithGoodBytesSucceeds()
    {
        var cache = new PackageCache(_dir.Path);
        var flipped = _package.Files["pump-anomaly.onnx"].ToArray();
        flipped[100] ^= 0x40;

        var refused = await Assert.ThrowsAsync<PackageRejectedException>(() => cache.EnsureAsync(
            _package.Ref, (file, ct) => file == "pump-anomaly.onnx" ? Task.FromResult(flipped) : _package.DownloadAsync(file, ct), CancellationToken.None));

        Assert.Equal("verify", refused.Stage);
        Assert.Equal(
            $"package {ModelManifest.Short(_package.Ref.PackageId)} (2.0.0): file 'pump-anomaly.onnx' has SHA-256 {ModelManifest.Hex(SHA256.HashData(flipped))}, the signed manifest says {ModelManifest.Hex(SHA256.HashData(_package.Files["pump-anomaly.onnx"]))}; the download is refused",
            refused.Message);
        Assert.Null(cache.Find(_package.Ref.PackageId));
        Assert.Empty(Directory.GetDirectories(cache.Root));
        Assert.NotNull(await cache.EnsureAsync(_package.Ref, _package.DownloadAsync, CancellationToken.None));
    }

    [Fact]
    public async Task Ensure_ManifestAlteredOnTheWay_IsRefusedBeforeAnyDownload()
    {
        var cache = new PackageCache(_dir.Path);
        var altered = _package.Ref with { Manifest = _package.Ref.Manifest.Replace("README.md", "README.txt", StringComparison.Ordinal) };

        var refused = await Assert.ThrowsAsync<PackageRejectedException>(() => cache.EnsureAsync(altered, (_, _) => throw new InvalidOperationException("downloaded"), CancellationToken.None));

        Assert.Equal($"package {ModelManifest.Short(_package.Ref.PackageId)} (2.0.0): the manifest's SHA-256 is not the package id; the hub's answer was altered", refused.Message);
    }

    [Fact]
    public async Task Ensure_SignatureOfAnotherKey_IsRefused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cache = new PackageCache(_dir.Path);
        var wrong = _package.Ref with { Signature = PackageSignature.Sign(other, System.Text.Encoding.UTF8.GetBytes(_package.Ref.Manifest)) };

        var refused = await Assert.ThrowsAsync<PackageRejectedException>(() => cache.EnsureAsync(wrong, _package.DownloadAsync, CancellationToken.None));

        Assert.Equal($"package {ModelManifest.Short(_package.Ref.PackageId)} (2.0.0): the signature does not verify with key '{_package.Ref.KeyId}'", refused.Message);
    }

    [Fact]
    public async Task Ensure_KeyOutsideTheEdgesTrustedKeys_IsRefused()
    {
        var cache = new PackageCache(_dir.Path, ["0123456789abcdef"]);

        var refused = await Assert.ThrowsAsync<PackageRejectedException>(() => cache.EnsureAsync(_package.Ref, _package.DownloadAsync, CancellationToken.None));

        Assert.Equal($"package {ModelManifest.Short(_package.Ref.PackageId)} (2.0.0): signed by key '{_package.Ref.KeyId}', which is not among this edge's trusted keys", refused.Message);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Ensure_AfterAKill9MidDownload_LeavesNoPackageAndTheNextTryCompletesIt()
    {
        var source = Directory.CreateDirectory(_dir.File("source")).FullName;
        foreach (var (name, content) in _package.Files)
        {
            File.WriteAllBytes(Path.Combine(source, name), content);
        }

        var refJson = _dir.File("desired.json");
        File.WriteAllText(refJson, JsonSerializer.Serialize(
            new DesiredState("e1", "x", [new StationAssignment("l1", "s1", "pump-anomaly", _package.Ref, null, null)]), AiFactoryJsonContext.Default.DesiredState));
        var cacheDir = _dir.File("cache");
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { typeof(PackageChild).Assembly.Location, PackageChild.Command, cacheDir, refJson, source })
        {
            start.ArgumentList.Add(arg);
        }

        Process? child = Process.Start(start)!;
        try
        {
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("downloading reference.json", line);
            child.Kill();
            await child.WaitForExitAsync();
            Assert.Equal(137, child.ExitCode);
        }
        finally
        {
            ChildProcess.Stop(ref child);
        }

        var cache = new PackageCache(cacheDir);
        Assert.Null(cache.Find(_package.Ref.PackageId));
        Assert.True(Directory.Exists(Path.Combine(cache.Root, _package.Ref.PackageId + ".partial")), "the killed download left its partial folder");
        var folder = await cache.EnsureAsync(_package.Ref, _package.DownloadAsync, CancellationToken.None);
        Assert.Equal([Path.Combine(cache.Root, _package.Ref.PackageId)], Directory.GetDirectories(cache.Root));
        Assert.All(_package.Files, f => Assert.Equal(f.Value, File.ReadAllBytes(Path.Combine(folder, f.Key))));
    }
}
