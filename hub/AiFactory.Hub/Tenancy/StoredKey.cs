namespace AiFactory.Hub.Tenancy;

/// <summary>A key's stored row (hash only); <paramref name="Owner"/> is the named user it belongs to, or the key's own id.</summary>
public sealed record StoredKey(string Id, string SecretHash, string Role, string? CompanyId, string? EdgeId, string? PlantId, long? RevokedUtc, string? Owner = null);
