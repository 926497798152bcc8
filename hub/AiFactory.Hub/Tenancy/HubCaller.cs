namespace AiFactory.Hub.Tenancy;

/// <summary>Who is calling, from a verified, unrevoked key.</summary>
/// <param name="KeyId">The key's id (never the secret).</param>
/// <param name="Role">Its role.</param>
/// <param name="CompanyId">The company it is scoped to; null only for hub admins.</param>
/// <param name="EdgeId">For edge keys, the edge.</param>
/// <param name="PlantId">For edge keys, the one plant the edge is bound to.</param>
/// <param name="Owner">The named user of the company the key belongs to (keys without one: the key's own id).</param>
public sealed record HubCaller(string KeyId, HubRole Role, string? CompanyId, string? EdgeId, string? PlantId, string? Owner = null)
{
    /// <summary>The person behind the key, across all their keys: company and owner (<c>hub/…</c> for hub admins).</summary>
    public string Analyst => $"{CompanyId ?? "hub"}/{Owner ?? KeyId}";

    /// <summary>True when the caller may read the named company's data.</summary>
    public bool CanRead(string companyId) =>
        Role == HubRole.HubAdmin || (Role != HubRole.Edge && string.Equals(CompanyId, companyId, StringComparison.Ordinal));

    /// <summary>True when the caller may manage the named company's tenancy (plants, lines, stations, edges, users).</summary>
    public bool CanAdminister(string companyId) =>
        Role == HubRole.HubAdmin || (Role == HubRole.CompanyAdmin && string.Equals(CompanyId, companyId, StringComparison.Ordinal));
}
