using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Tests.Storage;

[Trait("Category", "Unit")]
public sealed class OrleansScriptsTests
{
    [Fact]
    public void ClusteringScript_HasTheCleanupDefunctSiloEntriesQuery()
    {
        // Some Orleans releases shipped a PostgreSQL clustering script without it; their silos then fail to remove
        // dead silos' rows. What we apply must carry it.
        var applied = Schema.Migrations.Single(m => m.Version == 102);

        Assert.Contains("'CleanupDefunctSiloEntriesKey'", applied.Sql, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO OrleansQuery", applied.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_AreMigrationsForPostgreSqlOnly_WithTheirLicence()
    {
        var orleans = Schema.Migrations.Where(m => m.Version is > 100 and < 200).ToList();

        Assert.Equal([101, 102, 103], orleans.Select(m => m.Version));
        Assert.All(orleans, m =>
        {
            Assert.Equal(DatabaseProvider.PostgreSql, m.Provider);
            Assert.StartsWith("-- PostgreSQL-", m.Sql, StringComparison.Ordinal);
            Assert.Contains("Copyright (c) .NET Foundation", m.Sql, StringComparison.Ordinal);
            Assert.Contains($"Microsoft.Orleans (ADO.NET providers) {OrleansScripts.Release}", m.Sql, StringComparison.Ordinal);
        });
        Assert.Contains("CREATE TABLE OrleansQuery", orleans[0].Sql, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE OrleansMembershipTable", orleans[1].Sql, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE OrleansStorage", orleans[2].Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownScript_NamesItAndTheResource()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OrleansScripts.Read("MySQL-Main.sql"));

        Assert.Equal("Orleans script 'MySQL-Main.sql' is not embedded in aifactory-hub (resource 'AiFactory.Hub.Storage.Orleans.MySQL-Main.sql')", error.Message);
    }
}
