using System.Globalization;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Queries;

/// <summary>The read API of a company's metrics, edges and events; every route checks the caller's company.</summary>
public static class QueryEndpoints
{
    private const int MaxMinuteBuckets = 60 * 24 * 7;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var c = routes.MapGroup("/api/v1/companies/{company}").RequireAuthorization();
        c.MapGet("/", async (HttpContext h, string company, TenancyStore tenancy) =>
        {
            h.RequireRead(company);
            await RequireScopeAsync(tenancy, new MetricsScope(company), h.RequestAborted).ConfigureAwait(false);
            return Results.Ok(await tenancy.TreeAsync(company, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/metrics", (HttpContext h, string company, MetricsQuery q, TenancyStore t, TimeProvider time) =>
            MetricsAsync(h, new MetricsScope(company), q, t, time));
        c.MapGet("/plants/{plant}/metrics", (HttpContext h, string company, string plant, MetricsQuery q, TenancyStore t, TimeProvider time) =>
            MetricsAsync(h, new MetricsScope(company, plant), q, t, time));
        c.MapGet("/plants/{plant}/lines/{line}/metrics", (HttpContext h, string company, string plant, string line, MetricsQuery q, TenancyStore t, TimeProvider time) =>
            MetricsAsync(h, new MetricsScope(company, plant, line), q, t, time));
        c.MapGet("/plants/{plant}/lines/{line}/stations/{station}/metrics", (HttpContext h, string company, string plant, string line, string station, MetricsQuery q, TenancyStore t, TimeProvider time) =>
            MetricsAsync(h, new MetricsScope(company, plant, line, station), q, t, time));
        c.MapGet("/plants/{plant}/edges", async (HttpContext h, string company, string plant, FleetQuery fleet, TenancyStore t) =>
        {
            h.RequireRead(company);
            await RequireScopeAsync(t, new MetricsScope(company, plant), h.RequestAborted).ConfigureAwait(false);
            return Results.Ok(await fleet.EdgesAsync(company, plant, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/plants/{plant}/lines/{line}/events", async (HttpContext h, string company, string plant, string line, FleetQuery fleet, TenancyStore t, TimeProvider time) =>
        {
            h.RequireRead(company);
            await RequireScopeAsync(t, new MetricsScope(company, plant, line), h.RequestAborted).ConfigureAwait(false);
            var (from, to) = Range(h.Request.Query, time.GetUtcNow());
            var limit = Int(h.Request.Query, "limit", 100, 1, 10_000);
            return Results.Ok(await fleet.EventsAsync(company, plant, line, from, to, limit, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/plants/{plant}/lines/{line}/stations/{station}/raw", async (HttpContext h, string company, string plant, string line, string station, FleetQuery fleet, TenancyStore t, TimeProvider time) =>
        {
            // Raw values belong to the company that opted in: its own plant engineers, data scientists and admins
            // read them; nobody outside it (hub admins and alliance analysts included).
            var caller = h.RequireRead(company);
            if (!string.Equals(caller.CompanyId, company, StringComparison.Ordinal))
            {
                throw HubProblemException.NotFound($"company '{company}' does not exist.");
            }

            if (caller.Role is not (HubRole.PlantEngineer or HubRole.DataScientist or HubRole.CompanyAdmin))
            {
                throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not read raw sensor values; a plant-engineer, data-scientist or company-admin key of '{company}' is needed.");
            }

            await RequireScopeAsync(t, new MetricsScope(company, plant, line, station), h.RequestAborted).ConfigureAwait(false);
            var (from, to) = Range(h.Request.Query, time.GetUtcNow());
            var limit = Int(h.Request.Query, "limit", 100, 1, 1_000);
            return Results.Ok(await fleet.RawAsync(company, plant, line, station, from, to, limit, h.RequestAborted).ConfigureAwait(false));
        });
    }

    private static async Task<IResult> MetricsAsync(HttpContext h, MetricsScope scope, MetricsQuery query, TenancyStore tenancy, TimeProvider time)
    {
        h.RequireRead(scope.CompanyId);
        await RequireScopeAsync(tenancy, scope, h.RequestAborted).ConfigureAwait(false);
        var (from, to) = Range(h.Request.Query, time.GetUtcNow());
        var bucket = h.Request.Query["bucket"].ToString();
        var granularity = bucket switch
        {
            "" => (to - from) <= TimeSpan.FromHours(6) ? 60L : 3600L,
            "minute" => 60L,
            "hour" => 3600L,
            _ => throw HubProblemException.BadRequest($"query 'bucket' is '{bucket}'; use 'minute' or 'hour'."),
        };
        if (granularity == 60 && (to - from).TotalMinutes > MaxMinuteBuckets)
        {
            throw HubProblemException.BadRequest($"a range of {(to - from).TotalDays:F1} days is too long for minute buckets (at most 7 days); use bucket=hour.");
        }

        return Results.Ok(await query.RunAsync(scope, from, to, granularity, h.RequestAborted).ConfigureAwait(false));
    }

    internal static async Task RequireScopeAsync(TenancyStore tenancy, MetricsScope scope, CancellationToken ct)
    {
        if (!await tenancy.ScopeExistsAsync(scope.CompanyId, scope.PlantId, scope.LineId, scope.StationId, ct).ConfigureAwait(false))
        {
            throw HubProblemException.NotFound($"{scope.Describe()} does not exist in company '{scope.CompanyId}'.");
        }
    }

    private static (DateTimeOffset From, DateTimeOffset To) Range(IQueryCollection query, DateTimeOffset now)
    {
        var to = Time(query, "to") ?? now;
        var from = Time(query, "from") ?? to.AddHours(-1);
        if (from >= to)
        {
            throw HubProblemException.BadRequest($"query 'from' ({from:O}) must be before 'to' ({to:O}).");
        }

        return (from, to);
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw HubProblemException.BadRequest($"query '{name}' is '{text}', not an ISO 8601 time (e.g. 2026-11-22T10:00:00Z).");
    }

    private static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw HubProblemException.BadRequest($"query '{name}' is '{text}'; expected a whole number from {min} to {max}.");
    }
}
