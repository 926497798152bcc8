using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>A plant's live state: the sum of its lines, and its edges online or offline as their grains declare them.</summary>
public sealed class PlantGrain(LiveStore store, IOptions<LiveOptions> options, IOptions<HubOptions> hub, [FromKeyedServices(LiveOptions.ClockKey)] TimeProvider time, ILogger<PlantGrain> log)
    : ScopeGrain(store, options, time, log), IPlantGrain
{
    private readonly SortedDictionary<string, EdgeLive> _edges = new(StringComparer.Ordinal);

    public Task EdgeChangedAsync(EdgeLive edge)
    {
        _edges[edge.EdgeId] = edge;
        Changed();
        return Task.CompletedTask;
    }

    protected override ILiveScopeGrain Parent() => GrainFactory.GetGrain<ICompanyGrain>(Scope.CompanyId);

    protected override async Task OnRebuiltAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        foreach (var edge in await Store.EdgesAsync(Scope.CompanyId, Scope.PlantId, ct))
        {
            var online = EdgeLive.IsOnline(edge.LastSeenUtc, now, hub.Value.EdgeOfflineAfter);
            _edges[edge.EdgeId] = new EdgeLive(edge.EdgeId, online, edge.LastSeenUtc);
            if (online)
            {
                // Its grain's timer declares it offline if it stays silent; one-way, so an edge calling this plant never waits on it.
                _ = GrainFactory.GetGrain<IEdgeGrain>(edge.EdgeId).WatchAsync();
            }
        }
    }

    protected override IReadOnlyList<EdgeLive> Edges() => [.. _edges.Values];

    protected override (int Online, int Total) EdgeCounts() => (_edges.Values.Count(e => e.Online), _edges.Count);
}
