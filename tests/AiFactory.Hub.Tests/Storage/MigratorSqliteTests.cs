using AiFactory.Hub.Storage;
using AiFactory.Testing;
using Dapper;

namespace AiFactory.Hub.Tests.Storage;

[Trait("Category", "Unit")]
public sealed class MigratorSqliteTests
{
    [Fact]
    public async Task OnSqlite_OrleansScriptsAreRecordedWithoutRunning()
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-migrator-");
        try
        {
            using var database = new HubDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir.FullName, "hub.db")}");
            var logger = new ListLogger<Migrator>();

            var applied = await new Migrator(database, logger).ApplyAsync(CancellationToken.None);

            Assert.Equal(Schema.Migrations.Count, applied);
            Assert.Contains(logger.Lines, l => l.Message == "Recorded schema migration 102 (Orleans 10.4.2 clustering (PostgreSQL-Clustering.sql)) without running it: it is for PostgreSql only");
            await using var connection = await database.OpenAsync(CancellationToken.None);
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'orleans%'"));
            Assert.Equal(Migrator.LatestVersion, await new Migrator(database, logger).CurrentVersionAsync(CancellationToken.None));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }
}
