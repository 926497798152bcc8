using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Alliance;

/// <summary>Offers (a member company's admin) and datasets (data scientists of granted member companies).</summary>
public static class DataRoomEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var a = routes.MapGroup("/api/v1/alliances/{alliance}").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        a.MapGet("/companies/{company}/offers", async (HttpContext h, string alliance, string company, AllianceStore store, DataRoomStore rooms) =>
        {
            await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: true).ConfigureAwait(false);
            return Results.Ok(await rooms.OffersAsync(alliance, company, h.RequestAborted).ConfigureAwait(false));
        });
        a.MapPost("/companies/{company}/offers", async (HttpContext h, string alliance, string company, OfferRequest body, AllianceStore store, DataRoomStore rooms) =>
        {
            var (caller, _) = await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: true).ConfigureAwait(false);
            var offer = await rooms.OfferAsync(AllianceAccess.Actor(caller), alliance, company, body, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/alliances/{alliance}/companies/{company}/offers/{offer.Id}", offer);
        });
        a.MapDelete("/companies/{company}/offers/{offer}", async (HttpContext h, string alliance, string company, string offer, AllianceStore store, DataRoomStore rooms) =>
        {
            var (caller, _) = await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: true).ConfigureAwait(false);
            TenancyIds.Check("path offer", offer);
            await rooms.RevokeAsync(AllianceAccess.Actor(caller), alliance, company, offer, h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
        a.MapGet("/datasets", async (HttpContext h, string alliance, AllianceStore store, DataRoomStore rooms) =>
        {
            var caller = await ScientistAsync(h, store, alliance).ConfigureAwait(false);
            return Results.Ok(await rooms.DatasetsAsync(AllianceAccess.Actor(caller), alliance, caller.CompanyId!, h.RequestAborted).ConfigureAwait(false));
        });
        a.MapGet("/datasets/{dataset}/chunks", async (HttpContext h, string alliance, string dataset, AllianceStore store, DataRoomStore rooms) =>
        {
            var caller = await ScientistAsync(h, store, alliance).ConfigureAwait(false);
            var limit = QueryParameters.Int(h.Request.Query, "limit", 100, 1, 1_000);
            return Results.Ok(await rooms.ReadAsync(AllianceAccess.Actor(caller), alliance, caller.CompanyId!, dataset, "room.read", limit, h.RequestAborted).ConfigureAwait(false));
        });
        a.MapGet("/datasets/{dataset}/training.csv", async (HttpContext h, string alliance, string dataset, AllianceStore store, DataRoomStore rooms) =>
        {
            var caller = await ScientistAsync(h, store, alliance).ConfigureAwait(false);
            var limit = QueryParameters.Int(h.Request.Query, "limit", 1_000, 1, 10_000);
            var chunks = await rooms.ReadAsync(AllianceAccess.Actor(caller), alliance, caller.CompanyId!, dataset, "room.export", limit, h.RequestAborted).ConfigureAwait(false);
            h.Response.Headers["X-AiFactory-Chunks"] = chunks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text(TrainingSetCsv.Write(chunks), "text/csv; charset=utf-8");
        });
    }

    /// <summary>Datasets are for data scientists of member companies: others of a member company get 403, everyone else 404.</summary>
    private static async Task<HubCaller> ScientistAsync(HttpContext h, AllianceStore store, string alliance)
    {
        var (caller, _) = await AllianceAccess.RequireMemberAsync(h, store, alliance).ConfigureAwait(false);
        if (caller.Role != HubRole.DataScientist)
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not use the data room; a data-scientist key of a member company is needed.");
        }

        return caller;
    }
}
