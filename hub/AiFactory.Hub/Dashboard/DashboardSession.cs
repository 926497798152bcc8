using System.Security.Claims;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// A dashboard session: an HTTP-only, SameSite=Strict cookie holding a data-protected ticket with the key's id, role,
/// company and the browser's time zone (never the secret), good for <see cref="DashboardOptions.SessionLifetime"/> after its last use. Every
/// request re-reads the key, so a revoked key ends its sessions at once.
/// </summary>
public static class DashboardSession
{
    public const string Scheme = "Dashboard";

    public const string CookieName = "aif-dashboard";

    private const string CompanyClaim = "aifactory:company";

    private const string OwnerClaim = "aifactory:owner";

    private const string TimeZoneClaim = "aifactory:time-zone";

    /// <param name="key">The signed-in key.</param>
    /// <param name="timeZone">The browser's time zone (IANA id, already checked), or null for the hub's default.</param>
    public static ClaimsPrincipal Principal(StoredKey key, string? timeZone) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, key.Id),
            new Claim(ClaimTypes.Role, key.Role),
            .. key.CompanyId is { } company ? new[] { new Claim(CompanyClaim, company) } : [],
            .. key.Owner is { } owner ? new[] { new Claim(OwnerClaim, owner) } : [],
            .. timeZone is { } zone ? new[] { new Claim(TimeZoneClaim, zone) } : [],
        ],
        Scheme));

    /// <summary>How the session shows times: in its browser's zone, else in <paramref name="fallback"/> (<c>Hub:Dashboard:TimeZone</c>).</summary>
    public static DashboardTime Times(ClaimsPrincipal? user, string fallback) =>
        new(DashboardTime.TryFind(user?.FindFirstValue(TimeZoneClaim), out var zone) || DashboardTime.TryFind(fallback, out zone) ? zone : TimeZoneInfo.Utc);

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
