using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Admin;

/// <summary>Creates companies (hub admin), plants, lines, stations, edges and users (company admin of that company), and revokes keys.</summary>
public static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        admin.MapPost("/companies", async (HttpContext h, CreateRequest body, TenancyStore t) =>
        {
            var caller = h.Caller();
            if (caller.Role != HubRole.HubAdmin)
            {
                throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not create companies; a hub-admin key is needed.");
            }

            var id = Id(body, "company");
            await t.CreateCompanyAsync(id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{id}", new { id });
        });
        var company = admin.MapGroup("/companies/{company}");
        company.MapPost("/plants", async (HttpContext h, string company, CreateRequest body, TenancyStore t) =>
        {
            h.RequireAdmin(company);
            var id = Id(body, "plant");
            await t.CreatePlantAsync(company, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{id}", new { id });
        });
        company.MapPost("/plants/{plant}/lines", async (HttpContext h, string company, string plant, CreateRequest body, TenancyStore t) =>
        {
            h.RequireAdmin(company);
            var id = Id(body, "line");
            await t.CreateLineAsync(company, plant, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{plant}/lines/{id}", new { id });
        });
        company.MapPost("/plants/{plant}/lines/{line}/stations", async (HttpContext h, string company, string plant, string line, CreateRequest body, TenancyStore t) =>
        {
            h.RequireAdmin(company);
            var id = Id(body, "station");
            await t.CreateStationAsync(company, plant, line, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{plant}/lines/{line}/stations/{id}", new { id });
        });
        company.MapPost("/plants/{plant}/edges", async (HttpContext h, string company, string plant, CreateRequest body, TenancyStore t) =>
        {
            h.RequireAdmin(company);
            var id = Id(body, "edge");
            var key = await t.CreateEdgeAsync(company, plant, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{plant}/edges", key);
        });
        company.MapPost("/users", async (HttpContext h, string company, CreateUserRequest body, TenancyStore t) =>
        {
            h.RequireAdmin(company);
            if (!HubRoles.TryParse(body.Role, out var role) || role is HubRole.Edge or HubRole.HubAdmin)
            {
                throw HubProblemException.BadRequest($"role '{body.Role}' is not a user role; use one of {HubRoles.UserRoleList}.");
            }

            var key = await t.CreateUserKeyAsync(company, role, body.Name ?? HubRoles.Name(role), h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}", key);
        });
        admin.MapPost("/keys/{keyId}/revoke", async (HttpContext h, string keyId, TenancyStore t) =>
        {
            var caller = h.Caller();
            var key = await t.FindKeyAsync(keyId, h.RequestAborted).ConfigureAwait(false);
            if (key is null || (caller.Role != HubRole.HubAdmin && !(key.CompanyId is { } c && caller.CanAdminister(c))))
            {
                throw HubProblemException.NotFound($"key '{keyId}' does not exist.");
            }

            await t.RevokeKeyAsync(keyId, h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
    }

    private static string Id(CreateRequest body, string what)
    {
        TenancyIds.Check(what, body?.Id);
        return body!.Id!;
    }
}
