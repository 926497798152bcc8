using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// <c>/api/v1/alliances/{alliance}</c>: settings, sharing policies, benchmarks, the privacy budget, "where do we stand"
/// and the company's own audit trail. Every route first checks that the caller's company is a member (else 404) and,
/// where a company is named, that it is the caller's own (else 404).
/// </summary>
public static class AllianceEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var a = routes.MapGroup("/api/v1/alliances/{alliance}").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        a.MapGet("/", async (HttpContext h, string alliance, AllianceStore store) =>
            Results.Ok((await AllianceAccess.RequireMemberAsync(h, store, alliance).ConfigureAwait(false)).Alliance));
        a.MapGet("/budget", async (HttpContext h, string alliance, AllianceStore store, PrivacyLedger ledger) =>
        {
            var (caller, settings) = await AllianceAccess.RequireMemberAsync(h, store, alliance).ConfigureAwait(false);
            return Results.Ok(await ledger.RemainingAsync(settings, caller.Analyst, h.RequestAborted).ConfigureAwait(false));
        });
        a.MapGet("/benchmarks", async (HttpContext h, string alliance, AllianceStore store, BenchmarkQuery query, TimeProvider time) =>
        {
            var (caller, settings) = await AllianceAccess.RequireMemberAsync(h, store, alliance).ConfigureAwait(false);
            if (caller.Role is not (HubRole.AllianceAnalyst or HubRole.HubAdmin))
            {
                throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not query alliance benchmarks; an alliance-analyst key is needed (a company sees its own standing under …/companies/{{company}}/standing).");
            }

            var (from, to) = BenchmarkParameters.Period(h.Request.Query, time.GetUtcNow());
            var request = new BenchmarkRequest(
                settings, BenchmarkParameters.Process(h.Request.Query), MetricFamilies.Parse("query 'metric'", h.Request.Query["metric"].ToString()), from, to,
                BenchmarkParameters.ByFamily(h.Request.Query), BenchmarkParameters.Epsilon(h.Request.Query), caller.Analyst, caller.CompanyId);
            return Results.Ok((await query.RunAsync(request, AllianceAccess.Actor(caller), h.RequestAborted).ConfigureAwait(false)).Response);
        });

        var c = a.MapGroup("/companies/{company}");
        c.MapGet("/policies", async (HttpContext h, string alliance, string company, AllianceStore store, PolicyStore policies) =>
        {
            await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: false).ConfigureAwait(false);
            return Results.Ok(await policies.ListAsync(alliance, company, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapPut("/policies/{metric}", async (HttpContext h, string alliance, string company, string metric, PolicyRequest body, AllianceStore store, PolicyStore policies) =>
        {
            var (caller, _) = await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: true).ConfigureAwait(false);
            var family = MetricFamilies.Parse("path metric", metric);
            return Results.Ok(await policies.SetAsync(AllianceAccess.Actor(caller), alliance, company, family, body, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapDelete("/policies/{metric}", async (HttpContext h, string alliance, string company, string metric, AllianceStore store, PolicyStore policies) =>
        {
            var (caller, _) = await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: true).ConfigureAwait(false);
            var family = MetricFamilies.Parse("path metric", metric);
            await policies.RevokeAsync(AllianceAccess.Actor(caller), alliance, company, family,
                h.Request.Query["plant"].ToString(), h.Request.Query["line"].ToString(), h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
        c.MapGet("/standing", async (HttpContext h, string alliance, string company, AllianceStore store, StandingQuery standing, TimeProvider time) =>
            Results.Ok(await StandingAsync(h, alliance, company, store, standing, time).ConfigureAwait(false)));
        c.MapGet("/standing/report", ReportAsync);

        // The same report as a page of the dashboard: its session cookie signs in (paths under /ui), the checks are the API's.
        routes.MapGet(StandingPage, ReportAsync).RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        c.MapGet("/audit", async (HttpContext h, string alliance, string company, AllianceStore store, AuditLog audit, TimeProvider time) =>
        {
            await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: true).ConfigureAwait(false);
            var (from, to) = QueryParameters.Range(h.Request.Query, time.GetUtcNow(), TimeSpan.FromDays(30));
            var limit = QueryParameters.Int(h.Request.Query, "limit", 1000, 1, 10_000);
            return Results.Ok(await audit.ReadAsync(from, to, limit, h.RequestAborted, company).ConfigureAwait(false));
        });
    }

    /// <summary>"Where do we stand?" in the dashboard: the printable report, for the dashboard's session.</summary>
    public const string StandingPage = "/ui/alliances/{alliance}/companies/{company}/standing";

    private static async Task<IResult> ReportAsync(HttpContext h, string alliance, string company, AllianceStore store, StandingQuery standing, TimeProvider time) =>
        Results.Content(StandingReport.Render(await StandingAsync(h, alliance, company, store, standing, time).ConfigureAwait(false)), "text/html; charset=utf-8");

    private static async Task<StandingResponse> StandingAsync(HttpContext h, string alliance, string company, AllianceStore store, StandingQuery standing, TimeProvider time)
    {
        var (caller, settings) = await AllianceAccess.RequireCompanyAsync(h, store, alliance, company, admin: false).ConfigureAwait(false);
        var (from, to) = BenchmarkParameters.Period(h.Request.Query, time.GetUtcNow());
        return await standing.RunAsync(settings, company, BenchmarkParameters.Process(h.Request.Query), from, to, caller.Analyst, AllianceAccess.Actor(caller), h.RequestAborted).ConfigureAwait(false);
    }
}
