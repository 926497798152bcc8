using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// Checks a session's key on every request, as the API checks a key: a key revoked, gone or of another role since the
/// sign-in ends the session (the cookie is removed and the user is sent to sign in). A valid session sets the
/// request's <see cref="HubCaller"/>, so the dashboard's endpoints run the API's own access checks.
/// </summary>
public sealed class DashboardSessionEvents(TenancyStore tenancy, HubMetrics metrics) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var caller = DashboardSession.Caller(context.Principal);
        if (caller is null || !await tenancy.KeyStandsAsync(caller, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            metrics.AuthFailed();
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardSession.Scheme).ConfigureAwait(false);
            return;
        }

        context.HttpContext.Features.Set(caller);
    }
}
