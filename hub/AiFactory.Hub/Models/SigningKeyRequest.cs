namespace AiFactory.Hub.Models;

/// <summary>Body of <c>POST …/signing-keys</c>.</summary>
/// <param name="Name">Whose key it is (a person or a build machine).</param>
/// <param name="PublicKey">ECDSA P-256 public key, base64 SubjectPublicKeyInfo.</param>
public sealed record SigningKeyRequest(string? Name, string? PublicKey);
