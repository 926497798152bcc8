using AiFactory.Hub.Audit;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
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
            await t.CreateCompanyAsync(Actor(caller), id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{id}", new { id });
        });
        var company = admin.MapGroup("/companies/{company}");
        company.MapPost("/plants", async (HttpContext h, string company, CreateRequest body, TenancyStore t) =>
        {
            var caller = h.RequireAdmin(company);
            var id = Id(body, "plant");
            await t.CreatePlantAsync(Actor(caller), company, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{id}", new { id });
        });
        company.MapPost("/plants/{plant}/lines", async (HttpContext h, string company, string plant, CreateRequest body, TenancyStore t) =>
        {
            var caller = h.RequireAdmin(company);
            var id = Id(body, "line");
            await t.CreateLineAsync(Actor(caller), company, plant, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{plant}/lines/{id}", new { id });
        });
        company.MapPost("/plants/{plant}/lines/{line}/stations", async (HttpContext h, string company, string plant, string line, CreateRequest body, TenancyStore t) =>
        {
            var caller = h.RequireAdmin(company);
            var id = Id(body, "station");
            await t.CreateStationAsync(Actor(caller), company, plant, line, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{plant}/lines/{line}/stations/{id}", new { id });
        });
        company.MapPost("/plants/{plant}/edges", async (HttpContext h, string company, string plant, CreateRequest body, TenancyStore t) =>
        {
            var caller = h.RequireAdmin(company);
            var id = Id(body, "edge");
            var key = await t.CreateEdgeAsync(Actor(caller), company, plant, id, body.Name ?? id, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/plants/{plant}/edges", key);
        });
        company.MapPost("/users", async (HttpContext h, string company, CreateUserRequest body, TenancyStore t) =>
        {
            var caller = h.RequireAdmin(company);
            if (!HubRoles.TryParse(body.Role, out var role) || role is HubRole.Edge or HubRole.HubAdmin)
            {
                throw HubProblemException.BadRequest($"role '{body.Role}' is not a user role; use one of {HubRoles.UserRoleList}.");
            }

            var key = await t.CreateUserKeyAsync(Actor(caller), company, role, body.Name ?? HubRoles.Name(role), body.Owner, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}", key);
        });
        admin.MapGet("/audit", async (HttpContext h, AuditLog audit, TimeProvider time) =>
        {
            var caller = h.Caller();
            if (caller.Role != HubRole.HubAdmin)
            {
                throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not read the audit log; a hub-admin key is needed.");
            }

            var (from, to) = QueryParameters.Range(h.Request.Query, time.GetUtcNow(), TimeSpan.FromDays(1));
            var limit = QueryParameters.Int(h.Request.Query, "limit", 1000, 1, 10_000);
            return Results.Ok(await audit.ReadAsync(from, to, limit, h.RequestAborted).ConfigureAwait(false));
        });
        admin.MapPost("/keys/{keyId}/revoke", async (HttpContext h, string keyId, TenancyStore t) =>
        {
            var caller = h.Caller();
            var key = await t.FindKeyAsync(keyId, h.RequestAborted).ConfigureAwait(false);
            if (key is null || (caller.Role != HubRole.HubAdmin && !(key.CompanyId is { } c && caller.CanAdminister(c))))
            {
                throw HubProblemException.NotFound($"key '{keyId}' does not exist.");
            }

            await t.RevokeKeyAsync(Actor(caller), keyId, h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
    }

    private static AuditActor Actor(HubCaller caller) => AuditActor.Api(caller);

    private static string Id(CreateRequest body, string what)
    {
        TenancyIds.Check(what, body?.Id);
        return body!.Id!;
    }
}
