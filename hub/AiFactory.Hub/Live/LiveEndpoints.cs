using System.Runtime.CompilerServices;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Dashboard;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>
/// Live views as server-sent events: <c>GET …/live</c> of a company, plant or line answers a stream of
/// <c>snapshot</c> events (the current one first), fed by the scope's grain. Keys and roles are checked as on every
/// read: another company's key gets 404, an edge key 403; and again as the stream goes on (a revoked key ends it).
/// </summary>
public static class LiveEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var c = routes.MapGroup("/api/v1/companies/{company}").RequireAuthorization();
        c.MapGet("/live", (HttpContext h, string company, TenancyStore t, LiveFeeds feeds) =>
            StreamAsync(h, new MetricsScope(company), t, feeds));
        c.MapGet("/plants/{plant}/live", (HttpContext h, string company, string plant, TenancyStore t, LiveFeeds feeds) =>
            StreamAsync(h, new MetricsScope(company, plant), t, feeds));
        c.MapGet("/plants/{plant}/lines/{line}/live", (HttpContext h, string company, string plant, string line, TenancyStore t, LiveFeeds feeds) =>
            StreamAsync(h, new MetricsScope(company, plant, line), t, feeds));
    }

    private static async Task<IResult> StreamAsync(HttpContext h, MetricsScope scope, TenancyStore tenancy, LiveFeeds feeds)
    {
        var stopping = h.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var caller = h.RequireRead(scope.CompanyId);
        await QueryEndpoints.RequireScopeAsync(tenancy, scope, h.RequestAborted).ConfigureAwait(false);
        var log = h.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LiveEndpoints).FullName!);
        var what = $"the live stream {h.Request.Path}";
        var every = h.RequestServices.GetRequiredService<IOptions<LiveOptions>>().Value.SnapshotRefresh;

        // nginx passes events on as they come instead of buffering the stream.
        h.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(SnapshotsAsync(feeds, scope, every, stop => KeyRecheck.StillStandsAsync(tenancy, caller, log, what, stop), stopping, h.RequestAborted), eventType: "snapshot");
    }

    /// <summary>
    /// Snapshots until the client leaves, the hub stops (then the stream ends, so shutdown does not wait on it), or the
    /// caller's key no longer stands: it is checked again every <c>Hub:Live:SnapshotRefresh</c>, and a stream whose key
    /// was revoked ends (the client's next request is refused, 401).
    /// </summary>
    private static async IAsyncEnumerable<LiveSnapshot> SnapshotsAsync(
        LiveFeeds feeds, MetricsScope scope, TimeSpan every, Func<CancellationToken, Task<bool>> keyStands, CancellationToken stopping, [EnumeratorCancellation] CancellationToken ct)
    {
        using var view = feeds.Open(scope);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
        var checking = PageTicker.RunAsync(every, async () =>
        {
            if (!await keyStands(end.Token).ConfigureAwait(false))
            {
                await end.CancelAsync().ConfigureAwait(false);
            }
        }, end.Token);
        try
        {
            while (await MoreAsync(view, end.Token).ConfigureAwait(false))
            {
                while (view.Reader.TryRead(out var snapshot))
                {
                    yield return snapshot;
                }
            }
        }
        finally
        {
            await end.CancelAsync().ConfigureAwait(false);
            await checking.ConfigureAwait(false);
        }
    }

    private static async Task<bool> MoreAsync(LiveView view, CancellationToken ct)
    {
        try
        {
            return await view.Reader.WaitToReadAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
