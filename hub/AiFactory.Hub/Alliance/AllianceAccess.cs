using AiFactory.Hub.Audit;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Who may see an alliance: hub admins, and keys of its member companies. Anyone else is told it does not exist (404),
/// as are callers naming another company's policies, reports or rooms.
/// </summary>
public static class AllianceAccess
{
    public static async Task<(HubCaller Caller, AllianceSettings Alliance)> RequireMemberAsync(HttpContext h, AllianceStore store, string alliance)
    {
        TenancyIds.Check("path alliance", alliance);
        var caller = h.Caller();
        if (caller.Role == HubRole.Edge)
        {
            throw HubProblemException.Forbidden($"edge key '{caller.KeyId}' may only upload results.");
        }

        var settings = await store.FindAsync(alliance, h.RequestAborted).ConfigureAwait(false);
        if (settings is null || (caller.Role != HubRole.HubAdmin && !await store.IsMemberAsync(alliance, caller.CompanyId!, h.RequestAborted).ConfigureAwait(false)))
        {
            throw HubProblemException.NotFound($"alliance '{alliance}' does not exist.");
        }

        return (caller, settings);
    }

    /// <summary>A member company's own data in the alliance: its keys (or a hub admin) only, and only while it is a member.</summary>
    public static async Task<(HubCaller Caller, AllianceSettings Alliance)> RequireCompanyAsync(HttpContext h, AllianceStore store, string alliance, string company, bool admin)
    {
        var (caller, settings) = await RequireMemberAsync(h, store, alliance).ConfigureAwait(false);
        _ = admin ? h.RequireAdmin(company) : h.RequireRead(company);
        if (!await store.IsMemberAsync(alliance, company, h.RequestAborted).ConfigureAwait(false))
        {
            throw HubProblemException.NotFound($"company '{company}' is not a member of alliance '{alliance}'.");
        }

        return (caller, settings);
    }

    public static void RequireHubAdmin(HubCaller caller, string what)
    {
        if (caller.Role != HubRole.HubAdmin)
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not {what}; a hub-admin key is needed.");
        }
    }

    public static AuditActor Actor(HubCaller caller) => new($"key {caller.KeyId} ({HubRoles.Name(caller.Role)})", "api");
}
