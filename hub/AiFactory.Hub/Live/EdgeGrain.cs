using AiFactory.Contracts;
using AiFactory.Hub.Ingest;
using AiFactory.Hub.Tenancy;
using Orleans.Concurrency;

namespace AiFactory.Hub.Live;

/// <summary>
/// One activation per edge, so one edge's batches are applied one at a time: the SQL transaction first (buckets,
/// events and the high-water mark together, <see cref="SqlBatchAggregator"/>), live state only after it committed.
/// </summary>
public sealed class EdgeGrain(SqlBatchAggregator sql) : Grain, IEdgeGrain
{
    public async Task<UplinkAck> ApplyAsync(Immutable<UplinkBatch> batch)
    {
        var edge = new HubCaller(this.GetPrimaryKeyString(), HubRole.Edge, null, this.GetPrimaryKeyString(), null);
        var outcome = await sql.ApplyAsync(edge, batch.Value, CancellationToken.None).ConfigureAwait(true);
        return outcome.Ack;
    }
}
