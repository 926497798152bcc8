using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>A company's live state: the sum of its plants and their edges online. Only plants call it, each at most once per push interval.</summary>
public sealed class CompanyGrain(LiveStore store, IOptions<LiveOptions> options, IOptions<HubOptions> hub, [FromKeyedServices(LiveOptions.ClockKey)] TimeProvider time, ILogger<CompanyGrain> log)
    : ScopeGrain(store, options, time, log), ICompanyGrain
{
    private readonly Dictionary<string, (int Online, int Total)> _plantEdges = new(StringComparer.Ordinal);

    protected override ILiveScopeGrain? Parent() => null;

    protected override async Task OnRebuiltAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        foreach (var edge in await Store.EdgesAsync(Scope.CompanyId, null, ct))
        {
            var (online, total) = _plantEdges.GetValueOrDefault(edge.PlantId);
            _plantEdges[edge.PlantId] = (online + (EdgeLive.IsOnline(edge.LastSeenUtc, now, hub.Value.EdgeOfflineAfter) ? 1 : 0), total + 1);
        }
    }

    protected override void OnReport(ChildReport report)
    {
        if (report.EdgesOnline is { } online && report.EdgesTotal is { } total)
        {
            _plantEdges[report.ChildId] = (online, total);
        }
    }

    protected override (int Online, int Total) EdgeCounts()
    {
        var sum = (Online: 0, Total: 0);
        foreach (var (online, total) in _plantEdges.Values)
        {
            sum = (sum.Online + online, sum.Total + total);
        }

        return sum;
    }
}
