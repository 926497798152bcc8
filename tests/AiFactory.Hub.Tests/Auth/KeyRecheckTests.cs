using AiFactory.Hub.Auth;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Tests.Auth;

/// <summary>The key check of an open page or stream when the database cannot be read: it stays open, and the failure is logged naming it.</summary>
[Trait("Category", "Unit")]
public sealed class KeyRecheckTests
{
    [Fact]
    public async Task StillStands_WhenTheKeyCannotBeRead_KeepsThePage_AndLogsWhichOne()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"aifactory-no-such-folder-{Guid.NewGuid():N}", "hub.db");
        using var database = new HubDatabase(DatabaseProvider.Sqlite, $"Data Source={missing};Mode=ReadWrite");
        var tenancy = new TenancyStore(database, TimeProvider.System);
        var caller = new HubCaller("k1", HubRole.PlantEngineer, "acme", null, null);
        var log = new ListLogger();

        await Assert.ThrowsAnyAsync<Exception>(() => tenancy.KeyStandsAsync(caller, CancellationToken.None));
        Assert.True(await KeyRecheck.StillStandsAsync(tenancy, caller, log, "the live page of line acme/p1/l1", CancellationToken.None));

        var line = Assert.Single(log.Lines);
        Assert.Equal((LogLevel.Warning, "Could not check the key of the live page of line acme/p1/l1; it stays open and is checked again at the next refresh"), line);
    }
}
