namespace AiFactory.Contracts;

/// <summary>
/// A model package as <c>aifactory model push</c> uploads it: its files and the data scientist's signature of their
/// manifest (<see cref="ModelManifest"/>, <see cref="PackageSignature"/>).
/// </summary>
/// <param name="Files">File name → content, base64: <c>card.yaml</c>, <c>README.md</c>, <c>reference.json</c> and the card's <c>.onnx</c> file.</param>
/// <param name="KeyId">The id of the signing key, registered for the company beforehand.</param>
/// <param name="Signature">ECDSA P-256 / SHA-256 signature of the manifest, IEEE P1363, base64.</param>
public sealed record ModelPackageUpload(IReadOnlyDictionary<string, string> Files, string KeyId, string Signature);
