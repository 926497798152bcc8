namespace AiFactory.Hub.Tenancy;

/// <summary>A newly made key; <paramref name="Key"/> is shown this once and never stored.</summary>
public sealed record CreatedKey(string KeyId, string Key, string Role, string? CompanyId, string? EdgeId);
