using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Integration")]
public sealed class PostgresIngestTests
{
    [PostgresFact]
    public Task Batch_AggregatesPerStationLinePlantAndCompanyExactly() => IngestScenarios.Batch_AggregatesPerStationLinePlantAndCompanyExactly(HubHarness.StartOnPostgresAsync);

    [PostgresFact]
    public Task SameBatchTwiceAndReplayedLater_ChangesNothing() => IngestScenarios.SameBatchTwiceAndReplayedLater_ChangesNothing(HubHarness.StartOnPostgresAsync);

    [PostgresFact]
    public Task RecutBatchOverlappingAnAppliedOne_AppliesOnlyTheNewRecords() => IngestScenarios.RecutBatchOverlappingAnAppliedOne_AppliesOnlyTheNewRecords(HubHarness.StartOnPostgresAsync);

    [PostgresFact]
    public Task OutboxReport_IsShownWithTheEdgeOnline() => IngestScenarios.OutboxReport_IsShownWithTheEdgeOnline(HubHarness.StartOnPostgresAsync);

    [PostgresFact]
    public Task ConcurrentBatchesFromManyEdges_SumExactly() => IngestScenarios.ConcurrentBatchesFromManyEdges_SumExactly(HubHarness.StartOnPostgresAsync);
}
