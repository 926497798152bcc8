using AiFactory.Contracts;
using Orleans.Concurrency;

namespace AiFactory.Hub.Live;

/// <summary>One edge, keyed by its id: serialises that edge's ingest and watches it for silence.</summary>
public interface IEdgeGrain : IGrainWithStringKey
{
    /// <summary>Applies a validated batch to SQL exactly once, then to the live state of the stations it names.</summary>
    Task<UplinkAck> ApplyAsync(Immutable<UplinkBatch> batch);

    /// <summary>Wakes the grain so that its silence timer runs (a plant asks this of its online edges when it rebuilds).</summary>
    [OneWay]
    Task WatchAsync();

    Task<EdgeLive> StatusAsync();

    /// <summary>Declares the edge offline if it has been silent for <c>Hub:EdgeOfflineAfter</c> (its silence timer calls this).</summary>
    [OneWay]
    Task CheckSilenceAsync();
}
