using System.Security.Claims;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// A dashboard session: an HTTP-only, SameSite=Strict cookie holding a data-protected ticket with the key's id, role
/// and company (never the secret), good for <see cref="DashboardOptions.SessionLifetime"/> after its last use. Every
/// request re-reads the key, so a revoked key ends its sessions at once.
/// </summary>
public static class DashboardSession
{
    public const string Scheme = "Dashboard";

    public const string CookieName = "aif-dashboard";

    private const string CompanyClaim = "aifactory:company";

    private const string OwnerClaim = "aifactory:owner";

    public static ClaimsPrincipal Principal(StoredKey key) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, key.Id),
            new Claim(ClaimTypes.Role, key.Role),
            .. key.CompanyId is { } company ? new[] { new Claim(CompanyClaim, company) } : [],
            .. key.Owner is { } owner ? new[] { new Claim(OwnerClaim, owner) } : [],
        ],
        Scheme));

    /// <summary>The caller a session stands for; null for a principal that is not a dashboard session.</summary>
    public static HubCaller? Caller(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true, AuthenticationType: Scheme }
            || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id
            || !HubRoles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }

        return new HubCaller(id, role, user.FindFirstValue(CompanyClaim), null, null, user.FindFirstValue(OwnerClaim));
    }
}
