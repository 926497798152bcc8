using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Integration")]
public sealed class SqliteIngestTests : IngestTests
{
    private protected override Task<HubHarness> StartAsync() => HubHarness.StartAsync();
}
