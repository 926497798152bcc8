using AiFactory.Contracts;
using Orleans.Concurrency;

namespace AiFactory.Hub.Live;

/// <summary>One edge, keyed by its id: serialises that edge's ingest and watches it for silence.</summary>
public interface IEdgeGrain : IGrainWithStringKey
{
    /// <summary>Applies a validated batch to SQL exactly once, then to the live state of the stations it names.</summary>
    Task<UplinkAck> ApplyAsync(Immutable<UplinkBatch> batch);
}
