using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Alliance;

/// <summary>The taxonomy and alliances (hub admins) and the lines' process tags (company admins).</summary>
public static class AllianceAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        admin.MapPost("/process-types", async (HttpContext h, CreateProcessTypeRequest body, AllianceStore store) =>
        {
            var caller = h.Caller();
            AllianceAccess.RequireHubAdmin(caller, "change the process taxonomy");
            TenancyIds.Check("process type", body.Id);
            await store.CreateProcessTypeAsync(AllianceAccess.Actor(caller), body.Id!, body.Name ?? body.Id!, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/process-types/{body.Id}", new { id = body.Id });
        });
        admin.MapPost("/alliances", async (HttpContext h, AllianceRequest body, AllianceStore store) =>
        {
            var caller = h.Caller();
            AllianceAccess.RequireHubAdmin(caller, "create alliances");
            TenancyIds.Check("alliance", body.Id);
            var settings = body.ToSettings(body.Id!);
            await store.CreateAllianceAsync(AllianceAccess.Actor(caller), settings, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/alliances/{settings.Id}", settings);
        });
        admin.MapPut("/alliances/{alliance}", async (HttpContext h, string alliance, AllianceRequest body, AllianceStore store) =>
        {
            var caller = h.Caller();
            AllianceAccess.RequireHubAdmin(caller, "change alliances");
            TenancyIds.Check("path alliance", alliance);
            var settings = body.ToSettings(alliance);
            await store.UpdateAllianceAsync(AllianceAccess.Actor(caller), settings, h.RequestAborted).ConfigureAwait(false);
            return Results.Ok(settings);
        });
        admin.MapPost("/alliances/{alliance}/members", async (HttpContext h, string alliance, MemberRequest body, AllianceStore store) =>
        {
            var caller = h.Caller();
            AllianceAccess.RequireHubAdmin(caller, "change an alliance's members");
            TenancyIds.Check("path alliance", alliance);
            await store.AddMemberAsync(AllianceAccess.Actor(caller), alliance, body.Company!, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/alliances/{alliance}", new { alliance, company = body.Company });
        });
        admin.MapDelete("/alliances/{alliance}/members/{company}", async (HttpContext h, string alliance, string company, AllianceStore store) =>
        {
            var caller = h.Caller();
            AllianceAccess.RequireHubAdmin(caller, "change an alliance's members");
            TenancyIds.Check("path alliance", alliance);
            await store.RemoveMemberAsync(AllianceAccess.Actor(caller), alliance, company, h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
        admin.MapPut("/companies/{company}/plants/{plant}/lines/{line}/process", async (HttpContext h, string company, string plant, string line, LineProcessRequest body, AllianceStore store) =>
        {
            var caller = h.RequireAdmin(company);
            await store.TagLineAsync(AllianceAccess.Actor(caller), company, plant, line, body.ProcessType!, body.ProductFamily!, h.RequestAborted).ConfigureAwait(false);
            return Results.Ok(new LineProcess(body.ProcessType!, body.ProductFamily!));
        });
        routes.MapGet("/api/v1/process-types", async (HttpContext h, AllianceStore store) =>
        {
            var caller = h.Caller();
            if (caller.Role == HubRole.Edge)
            {
                throw HubProblemException.Forbidden($"edge key '{caller.KeyId}' may only upload results.");
            }

            return Results.Ok(await store.ProcessTypesAsync(h.RequestAborted).ConfigureAwait(false));
        }).RequireAuthorization();
    }
}
