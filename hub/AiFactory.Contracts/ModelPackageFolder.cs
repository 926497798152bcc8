using System.Security.Cryptography;

namespace AiFactory.Contracts;

/// <summary>A model folder (<c>models/&lt;name&gt;/</c>) as a package: the files a package holds, read and signed.</summary>
public static class ModelPackageFolder
{
    /// <summary>The files every package holds besides its one <c>.onnx</c> file.</summary>
    public static IReadOnlyList<string> RequiredFiles { get; } = ["card.yaml", "README.md", "reference.json"];

    /// <summary>
    /// Reads card.yaml, README.md, reference.json and the folder's one .onnx file; throws <see cref="IOException"/>
    /// naming the folder and what is missing.
    /// </summary>
    public static Dictionary<string, byte[]> Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new IOException($"model folder '{folder}' does not exist");
        }

        var onnx = Directory.GetFiles(folder, "*.onnx");
        if (onnx.Length != 1)
        {
            throw new IOException($"model folder '{folder}' holds {onnx.Length} .onnx files; a package holds exactly one");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in RequiredFiles.Append(Path.GetFileName(onnx[0])))
        {
            var path = Path.Combine(folder, name);
            files[name] = File.Exists(path)
                ? File.ReadAllBytes(path)
                : throw new IOException($"model folder '{folder}' has no {name}; a package holds card.yaml, README.md, reference.json and the .onnx file");
        }

        return files;
    }

    /// <summary>The upload of <paramref name="files"/>, signed with <paramref name="key"/>.</summary>
    public static ModelPackageUpload Sign(IReadOnlyDictionary<string, byte[]> files, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(key);
        var manifest = ModelManifest.Build(files);
        return new ModelPackageUpload(
            files.ToDictionary(f => f.Key, f => Convert.ToBase64String(f.Value), StringComparer.Ordinal),
            PackageSignature.KeyId(key.ExportSubjectPublicKeyInfo()),
            PackageSignature.Sign(key, manifest));
    }
}
