using AiFactory.Contracts;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Hub.Hosting;
using AiFactory.Onnx;

namespace AiFactory.Hub.Models;

/// <summary>
/// Checks an uploaded package before it is stored, with the edge's own code: the file set, the signature against the
/// company's registered keys, the card alone (<see cref="ModelCardReader"/>), ONNX Runtime loading the graph and the
/// card agreeing with it (<see cref="ModelPackage"/>), and the reference inputs reproducing their outputs
/// (<see cref="ReferenceCheck"/>). Each refusal is a 400 whose detail names the file or key and the problem.
/// </summary>
public sealed class PackageValidator(SigningKeyStore keys, OnnxEnvironment onnx)
{
    // Loading a graph and scoring its reference rows is CPU work: a few pushes at once, the rest wait.
    private readonly SemaphoreSlim _running = new(2, 2);

    public async Task<ValidatedPackage> ValidateAsync(string company, ModelPackageUpload? upload, CancellationToken ct)
    {
        if (upload?.Files is null || upload.Files.Count == 0)
        {
            throw HubProblemException.BadRequest("package: files is empty; a package holds card.yaml, README.md, reference.json and the card's .onnx file (base64 each).");
        }

        var files = Decode(upload.Files);
        var manifest = ModelManifest.Build(files);
        await CheckSignatureAsync(company, upload, manifest, ct).ConfigureAwait(false);
        await _running.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var card = await CheckModelAsync(files, ct).ConfigureAwait(false);
            return new ValidatedPackage(
                ModelManifest.Id(manifest), card.Name, card.Version, card.Task, upload.KeyId, upload.Signature,
                System.Text.Encoding.UTF8.GetString(manifest), System.Text.Encoding.UTF8.GetString(files["card.yaml"]), card.Runtime.LatencyP99Ms, files);
        }
        finally
        {
            _running.Release();
        }
    }

    private static Dictionary<string, byte[]> Decode(IReadOnlyDictionary<string, string> given)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, base64) in given)
        {
            if (!IsFileName(name))
            {
                throw HubProblemException.BadRequest(
                    $"package: file name '{ControlCharacters.Escape(name)}' is not allowed; a package holds card.yaml, README.md, reference.json and one <name>.onnx (letters, digits, '.', '-', '_').");
            }

            try
            {
                files[name] = Convert.FromBase64String(base64 ?? string.Empty);
            }
            catch (FormatException)
            {
                throw HubProblemException.BadRequest($"package: file '{name}' is not base64.");
            }
        }

        foreach (var required in ModelPackageFolder.RequiredFiles)
        {
            if (!files.ContainsKey(required))
            {
                throw HubProblemException.BadRequest($"package: file '{required}' is missing; a package holds card.yaml, README.md, reference.json and the card's .onnx file.");
            }
        }

        var onnx = files.Keys.Where(f => f.EndsWith(".onnx", StringComparison.Ordinal)).ToList();
        if (onnx.Count != 1 || files.Count != ModelPackageFolder.RequiredFiles.Count + 1)
        {
            throw HubProblemException.BadRequest(
                $"package: holds {string.Join(", ", files.Keys.Order(StringComparer.Ordinal))}; it must hold card.yaml, README.md, reference.json and exactly one .onnx file, nothing else.");
        }

        return files;
    }

    private static bool IsFileName(string name) =>
        name is { Length: > 0 and <= 128 } && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
        && (ModelPackageFolder.RequiredFiles.Contains(name) || name.EndsWith(".onnx", StringComparison.Ordinal));

    private async Task CheckSignatureAsync(string company, ModelPackageUpload upload, byte[] manifest, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(upload.KeyId) || upload.KeyId.Length > 64)
        {
            throw HubProblemException.BadRequest("package: keyId is required: the id of the signing key registered for the company.");
        }

        var key = await keys.FindAsync(company, upload.KeyId, ct).ConfigureAwait(false);
        if (key is null || key.Revoked)
        {
            throw HubProblemException.BadRequest(
                $"package: signing key '{ControlCharacters.Escape(upload.KeyId)}' is {(key is null ? "not registered" : "revoked")} for company '{company}'; register the data scientist's public key first (aifactory model key register).");
        }

        using var ecdsa = PackageSignature.ReadPublicKey(key.PublicKey, out _)!;
        if (!PackageSignature.Verify(ecdsa, manifest, upload.Signature))
        {
            throw HubProblemException.BadRequest(
                $"package: the signature does not verify with key '{key.KeyId}' ({key.Name}) over the files' manifest: the files were changed after signing, or another key signed them.");
        }
    }

    private async Task<ModelCard> CheckModelAsync(Dictionary<string, byte[]> files, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("aifactory-package-").FullName;
        try
        {
            foreach (var (name, content) in files)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, name), content, ct).ConfigureAwait(false);
            }

            ModelPackage package;
            try
            {
                package = ModelPackage.Load(folder, onnx, new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 0 });
            }
            catch (Exception ex) when (ex is ModelCardException or OnnxRuntimeException)
            {
                throw Refused(ex.Message, folder);
            }

            await using (package.ConfigureAwait(false))
            {
                if (!files.ContainsKey(package.Card.Onnx))
                {
                    throw HubProblemException.BadRequest($"card.yaml: onnx: '{package.Card.Onnx}' is not a file of the package.");
                }

                var problems = await ReferenceCheck.RunAsync(package, files["reference.json"], "reference.json", ct).ConfigureAwait(false);
                if (problems.Count > 0)
                {
                    throw Refused(string.Join(Environment.NewLine, problems), folder);
                }

                return package.Card;
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The edge's messages name files by their path; the temporary folder means nothing to the caller.</summary>
    private static HubProblemException Refused(string message, string folder) =>
        HubProblemException.BadRequest(message.Replace(folder + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal).Replace(folder, "package", StringComparison.Ordinal));
}
