using AiFactory.Contracts;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Applies a validated batch to the aggregates exactly once and answers the ack. Everything an aggregate needs
/// travels in the batch (mergeable sums and histograms), so any replica may apply any batch. The endpoint's is
/// <see cref="GrainBatchAggregator"/>: the edge's grain applies the batch in SQL (<see cref="SqlBatchAggregator"/>)
/// and then updates live state.
/// </summary>
public interface IBatchAggregator
{
    Task<IngestOutcome> ApplyAsync(HubCaller edge, UplinkBatch batch, CancellationToken cancellationToken);
}
