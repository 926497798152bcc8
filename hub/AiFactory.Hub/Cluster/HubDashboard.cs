using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace AiFactory.Hub.Cluster;

/// <summary>
/// The Orleans Dashboard (grains, silos, calls per second) inside the hub. It has no authentication of its own, so it
/// is mapped behind the hub's API-key scheme and answers hub-admin keys only: no key 401, any other role 403.
/// </summary>
public static class HubDashboard
{
    public static ISiloBuilder AddHubDashboard(this ISiloBuilder silo) =>
        silo.AddDashboard(o =>
        {
            // Samples every 2 s instead of every second: the counters travel between silos on each sample.
            o.CounterUpdateIntervalMs = 2000;
        });

    public static RouteGroupBuilder MapHubDashboard(this IEndpointRouteBuilder app, string path)
    {
        var group = app.MapOrleansDashboard(path);
        group.RequireAuthorization(p => p.RequireRole(HubRoles.Name(HubRole.HubAdmin)));
        return group;
    }
}
