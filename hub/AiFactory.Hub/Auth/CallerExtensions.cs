using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Auth;

/// <summary>Access checks on the authenticated caller (an API request's, or a dashboard session's).</summary>
public static class CallerExtensions
{
    public static HubCaller Caller(this HttpContext context) =>
        context.Features.Get<HubCaller>() ?? throw new InvalidOperationException("The endpoint was reached without authentication.");

    /// <summary>
    /// Refuses reads of another company with 404, so a caller cannot learn which companies exist; edge keys read nothing (403).
    /// </summary>
    public static HubCaller RequireRead(this HttpContext context, string company) => context.Caller().RequireRead(company);

    /// <summary>Refuses tenancy changes outside the caller's company (404) or without an admin role (403).</summary>
    public static HubCaller RequireAdmin(this HttpContext context, string company) => context.Caller().RequireAdmin(company);

    /// <inheritdoc cref="RequireRead(HttpContext, string)"/>
    public static HubCaller RequireRead(this HubCaller caller, string company)
    {
        if (caller.Role == HubRole.Edge)
        {
            throw HubProblemException.Forbidden($"edge key '{caller.KeyId}' may only upload results.");
        }

        if (!caller.CanRead(company))
        {
            throw HubProblemException.NotFound($"company '{company}' does not exist.");
        }

        return caller;
    }

    /// <inheritdoc cref="RequireAdmin(HttpContext, string)"/>
    public static HubCaller RequireAdmin(this HubCaller caller, string company)
    {
        caller.RequireRead(company);
        if (!caller.CanAdminister(company))
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not change company '{company}'; a company-admin key is needed.");
        }

        return caller;
    }
}
