using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Models;

/// <summary>Who may do what with a company's models: another company's caller gets 404 as on every read.</summary>
public static class ModelAccess
{
    /// <summary>Pushing packages, deploying, promoting and rolling back: the company's data scientists.</summary>
    public static HubCaller RequireDataScientist(this HttpContext context, string company, string doing)
    {
        var caller = context.RequireRead(company);
        if (caller.Role != HubRole.DataScientist)
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not {doing}; a data-scientist key of company '{company}' is needed.");
        }

        return caller;
    }

    /// <summary>Registering and revoking signing keys: the company's data scientists and company admins, and hub admins.</summary>
    public static HubCaller RequireKeyManager(this HttpContext context, string company)
    {
        var caller = context.RequireRead(company);
        if (caller.Role is not (HubRole.DataScientist or HubRole.CompanyAdmin or HubRole.HubAdmin))
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not manage signing keys; a data-scientist or company-admin key is needed.");
        }

        return caller;
    }

    /// <summary>Downloading a package: every reader of the company, and the company's own edges.</summary>
    public static HubCaller RequirePackageReader(this HttpContext context, string company)
    {
        var caller = context.Caller();
        if (caller.Role == HubRole.Edge)
        {
            return string.Equals(caller.CompanyId, company, StringComparison.Ordinal)
                ? caller
                : throw HubProblemException.NotFound($"company '{company}' does not exist.");
        }

        return context.RequireRead(company);
    }
}
