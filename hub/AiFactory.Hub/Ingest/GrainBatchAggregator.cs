using AiFactory.Contracts;
using AiFactory.Hub.Live;
using AiFactory.Hub.Tenancy;
using Orleans.Concurrency;

namespace AiFactory.Hub.Ingest;

/// <summary>Hands a validated batch to its edge's grain, which applies it exactly once and then updates live state.</summary>
public sealed class GrainBatchAggregator(IGrainFactory grains) : IBatchAggregator
{
    public async Task<IngestOutcome> ApplyAsync(HubCaller edge, UplinkBatch batch, CancellationToken cancellationToken)
    {
        // Not cancelled with the request: once handed over, the batch is applied (or not) as a whole, as before.
        var ack = await grains.GetGrain<IEdgeGrain>(edge.EdgeId!).ApplyAsync(new Immutable<UplinkBatch>(batch)).ConfigureAwait(false);

        // Sequences increase through a batch and the grain applies those above the edge's old high-water mark: the tail.
        var records = batch.Records;
        var applied = new List<UplinkRecord>(ack.Applied);
        for (var i = records.Count - ack.Applied; i < records.Count; i++)
        {
            applied.Add(records[i]);
        }

        return new IngestOutcome(ack, applied);
    }
}
