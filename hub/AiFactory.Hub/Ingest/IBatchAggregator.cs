using AiFactory.Contracts;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Applies a validated batch to the aggregates exactly once and answers the ack. Everything an aggregate needs
/// travels in the batch (mergeable sums and histograms), so any replica may apply any batch; the one
/// implementation today is transactional SQL (<see cref="SqlBatchAggregator"/>), and this is the seam where
/// per-station virtual actors (Orleans grains) can take over when that runtime is available.
/// </summary>
public interface IBatchAggregator
{
    Task<IngestOutcome> ApplyAsync(HubCaller edge, UplinkBatch batch, CancellationToken cancellationToken);
}
