namespace AiFactory.Contracts;

/// <summary>
/// A registered package as an edge needs it to download and trust it: the signed manifest names every file by its
/// SHA-256, and the signature over the manifest verifies with the public key.
/// </summary>
/// <param name="PackageId">SHA-256 of <paramref name="Manifest"/> (64 hex digits).</param>
/// <param name="Version">The card's version.</param>
/// <param name="Manifest">The manifest text (<see cref="ModelManifest"/>).</param>
/// <param name="KeyId">The signing key's id.</param>
/// <param name="PublicKey">The signing key, base64 SubjectPublicKeyInfo.</param>
/// <param name="Signature">ECDSA P-256 signature of the manifest, base64.</param>
public sealed record ModelPackageRef(string PackageId, string Version, string Manifest, string KeyId, string PublicKey, string Signature);
