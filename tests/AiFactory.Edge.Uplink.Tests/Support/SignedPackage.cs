using System.Security.Cryptography;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>A package of models/pump-anomaly signed with a fresh P-256 key, as the hub lists it in a desired state.</summary>
internal sealed class SignedPackage
{
    public SignedPackage(string model = "pump-anomaly")
    {
        Files = ModelPackageFolder.Read(RepoPaths.Model(model));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var upload = ModelPackageFolder.Sign(Files, key);
        var manifest = ModelManifest.Build(Files);
        Ref = new ModelPackageRef(ModelManifest.Id(manifest), "2.0.0", Encoding.UTF8.GetString(manifest), upload.KeyId, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), upload.Signature);
    }

    public Dictionary<string, byte[]> Files { get; }

    public ModelPackageRef Ref { get; }

    /// <summary>A download that serves the package's files as they are.</summary>
    public Task<byte[]> DownloadAsync(string file, CancellationToken ct) => Task.FromResult(Files[file].ToArray());
}
