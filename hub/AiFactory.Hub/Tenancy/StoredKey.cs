namespace AiFactory.Hub.Tenancy;

/// <summary>A key's stored row (hash only).</summary>
public sealed record StoredKey(string Id, string SecretHash, string Role, string? CompanyId, string? EdgeId, string? PlantId, long? RevokedUtc);
