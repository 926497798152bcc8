namespace AiFactory.Hub.Models;

/// <summary>A data scientist's public key, registered for one company: packages signed with it may be pushed there.</summary>
/// <param name="KeyId">First 16 hex digits of the SHA-256 of the SubjectPublicKeyInfo.</param>
/// <param name="Name">Whose key it is, as registered.</param>
/// <param name="PublicKey">The SubjectPublicKeyInfo, base64.</param>
/// <param name="CreatedUtc">When it was registered.</param>
/// <param name="CreatedBy">Who registered it (audit actor).</param>
/// <param name="Revoked">True once revoked: it signs nothing new.</param>
public sealed record SigningKey(string KeyId, string Name, string PublicKey, DateTimeOffset CreatedUtc, string CreatedBy, bool Revoked);
