using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Integration")]
public sealed class SqliteIngestTests
{
    [Fact]
    public Task Batch_AggregatesPerStationLinePlantAndCompanyExactly() => IngestScenarios.Batch_AggregatesPerStationLinePlantAndCompanyExactly(() => HubHarness.StartAsync());

    [Fact]
    public Task SameBatchTwiceAndReplayedLater_ChangesNothing() => IngestScenarios.SameBatchTwiceAndReplayedLater_ChangesNothing(() => HubHarness.StartAsync());

    [Fact]
    public Task RecutBatchOverlappingAnAppliedOne_AppliesOnlyTheNewRecords() => IngestScenarios.RecutBatchOverlappingAnAppliedOne_AppliesOnlyTheNewRecords(() => HubHarness.StartAsync());

    [Fact]
    public Task OutboxReport_IsShownWithTheEdgeOnline() => IngestScenarios.OutboxReport_IsShownWithTheEdgeOnline(() => HubHarness.StartAsync());

    [Fact]
    public Task ConcurrentBatchesFromManyEdges_SumExactly() => IngestScenarios.ConcurrentBatchesFromManyEdges_SumExactly(() => HubHarness.StartAsync());
}
