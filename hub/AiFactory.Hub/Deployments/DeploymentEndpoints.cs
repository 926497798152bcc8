using AiFactory.Contracts;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Models;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// Deployments (start, list, status side by side, promote, roll back), drift, and the edges' side: desired state
/// (long-poll) and model reports.
/// </summary>
public static class DeploymentEndpoints
{
    public static void MapDeployments(this IEndpointRouteBuilder routes)
    {
        var c = routes.MapGroup("/api/v1/companies/{company}").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        c.MapPost("/deployments", async (HttpContext h, string company, DeployRequest body, DeploymentPlanner planner, IGrainFactory grains) =>
        {
            var caller = h.RequireDataScientist(company, "deploy models");
            var planned = await planner.PlanAsync(company, body, h.RequestAborted).ConfigureAwait(false);
            var actor = AuditActor.Api(caller);
            var started = Done(await grains.GetGrain<IDeploymentGrain>(company).StartAsync(planned, actor.Who, actor.Via).ConfigureAwait(false));
            return Results.Created($"/api/v1/companies/{company}/deployments/{started.Id}", started);
        });
        c.MapGet("/deployments", async (HttpContext h, string company, string? model, DeploymentStore store) =>
        {
            h.RequireRead(company);
            var limit = QueryParameters.Int(h.Request.Query, "limit", 100, 1, 1000);
            return Results.Ok(await store.ListAsync(company, model, limit, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/deployments/{deployment}", async (HttpContext h, string company, string deployment, DeploymentStore store, IGrainFactory grains) =>
        {
            h.RequireRead(company);
            var d = await store.FindAsync(company, deployment, h.RequestAborted).ConfigureAwait(false)
                ?? throw HubProblemException.NotFound($"deployment '{ControlCharacters.Escape(deployment)}' does not exist in company '{company}'.");
            return Results.Ok(DeploymentStatus.Of(d, await grains.GetGrain<IDeploymentGrain>(company).ReportsAsync(d.ModelName).ConfigureAwait(false)));
        });
        c.MapPost("/deployments/{deployment}/promote", async (HttpContext h, string company, string deployment, IGrainFactory grains) =>
        {
            var actor = AuditActor.Api(h.RequireDataScientist(company, "promote deployments"));
            return Results.Ok(Done(await grains.GetGrain<IDeploymentGrain>(company).PromoteAsync(deployment, actor.Who, actor.Via).ConfigureAwait(false)));
        });
        c.MapPost("/deployments/{deployment}/rollback", async (HttpContext h, string company, string deployment, RollbackRequest? body, IGrainFactory grains) =>
        {
            var actor = AuditActor.Api(h.RequireDataScientist(company, "roll deployments back"));
            var reason = body?.Reason is { Length: > 0 and <= 500 } r && !ControlCharacters.Any(r) ? r : $"rolled back by {actor.Who}";
            return Results.Ok(Done(await grains.GetGrain<IDeploymentGrain>(company).RollbackAsync(deployment, reason, actor.Who, actor.Via).ConfigureAwait(false)));
        });
        c.MapGet("/models/status", async (HttpContext h, string company, string? model, IGrainFactory grains) =>
        {
            h.RequireRead(company);
            var reports = await grains.GetGrain<IDeploymentGrain>(company).ReportsAsync(model).ConfigureAwait(false);
            return Results.Ok(reports.Select(StationStatus.Of).ToList());
        });
        c.MapGet("/drift", async (HttpContext h, string company, string? model, IGrainFactory grains) =>
        {
            h.RequireRead(company);
            var reports = await grains.GetGrain<IDeploymentGrain>(company).ReportsAsync(model).ConfigureAwait(false);
            return Results.Ok(reports.Select(DriftMeasure.Of).ToList());
        });

        var e = routes.MapGroup("/api/v1/edges/{edge}").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        e.MapGet("/desired-state", async (HttpContext h, string edge, string? etag, IGrainFactory grains, IOptions<DeploymentOptions> options) =>
        {
            var caller = RequireEdge(h, edge);
            var wait = QueryParameters.Int(h.Request.Query, "waitSeconds", (int)options.Value.LongPoll.TotalSeconds, 0, (int)options.Value.LongPoll.TotalSeconds);
            return Results.Ok(await grains.GetGrain<IDeploymentGrain>(caller.CompanyId!).DesiredAsync(edge, caller.PlantId!, etag, TimeSpan.FromSeconds(wait)).ConfigureAwait(false));
        });
        e.MapPost("/model-report", async (HttpContext h, string edge, EdgeModelReport body, TenancyStore tenancy, StationDriftStore drift, IGrainFactory grains, TimeProvider time) =>
        {
            var caller = RequireEdge(h, edge);
            ReportValidator.Check(edge, body, await tenancy.StationsOfPlantAsync(caller.CompanyId!, caller.PlantId!, h.RequestAborted).ConfigureAwait(false));
            await grains.GetGrain<IDeploymentGrain>(caller.CompanyId!).ReportAsync(caller.PlantId!, body).ConfigureAwait(false);
            await drift.RecordAsync(caller.CompanyId!, caller.PlantId!, body, time.GetUtcNow(), h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
    }

    private static Deployment Done(DeploymentChange change) =>
        change.Deployment ?? throw new HubProblemException(change.Status, change.Status == 404 ? "Not found" : "Conflict", change.Problem!);

    /// <summary>Only the edge itself asks for its state and reports on it; another edge's id is not found.</summary>
    private static HubCaller RequireEdge(HttpContext h, string edge)
    {
        var caller = h.Caller();
        if (caller.Role != HubRole.Edge)
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' is not an edge; only edge '{edge}' itself asks for its desired state and reports its models.");
        }

        return caller.EdgeId == edge ? caller : throw HubProblemException.NotFound($"edge '{edge}' does not exist.");
    }
}
