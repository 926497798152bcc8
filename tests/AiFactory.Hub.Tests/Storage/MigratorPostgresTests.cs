using AiFactory.Hub.Storage;
using AiFactory.Testing;
using Dapper;

namespace AiFactory.Hub.Tests.Storage;

[Trait("Category", "Integration")]
public sealed class MigratorPostgresTests
{
    private static readonly string[] OrleansQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteStorageKey", "GatewaysQueryKey",
        "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "ReadFromStorageKey",
        "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
    ];

    [PostgresFact]
    public async Task ThreeSilosStartingTogether_ApplyOrleansScriptsOnce()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var database = new HubDatabase(DatabaseProvider.PostgreSql, db.ConnectionString);
        var loggers = Enumerable.Range(0, 3).Select(_ => new ListLogger<Migrator>()).ToList();

        var applied = await Task.WhenAll(loggers.Select(l => new Migrator(database, l).ApplyAsync(CancellationToken.None)));

        Assert.Equal(Schema.Migrations.Count, applied.Sum());
        Assert.Equal(Schema.Migrations.Count, applied.Max());
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var keys = (await connection.QueryAsync<string>("SELECT querykey FROM orleansquery ORDER BY querykey")).ToList();
        Assert.Equal(OrleansQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.Equal(Migrator.LatestVersion, await new Migrator(database, new ListLogger<Migrator>()).CurrentVersionAsync(CancellationToken.None));
    }
}
