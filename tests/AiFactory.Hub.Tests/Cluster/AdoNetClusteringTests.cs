using AiFactory.Hub.Cluster;
using AiFactory.Hub.Storage;
using AiFactory.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace AiFactory.Hub.Tests.Cluster;

/// <summary>Silos configured by <see cref="SiloClustering"/> find each other through the membership rows in PostgreSQL.</summary>
[Trait("Category", "Integration")]
public sealed class AdoNetClusteringTests
{
    [PostgresFact]
    public async Task ThreeSilosOnPostgres_FormOneCluster_AndAStoppedOneIsMarkedDead()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var database = new HubDatabase(DatabaseProvider.PostgreSql, db.ConnectionString);
        await new Migrator(database, new ListLogger<Migrator>()).ApplyAsync(CancellationToken.None);
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<IHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silos.Add(await StartSiloAsync(db.ConnectionString, clusterId));
            }

            var management = silos[0].Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
            await WaitForAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 3, "three active silos");
            Assert.Equal(3, await CountAsync(database, clusterId, SiloStatus.Active));

            await silos[2].StopAsync();
            await WaitForAsync(async () => await CountAsync(database, clusterId, SiloStatus.Dead) == 1, "the stopped silo's row marked dead");

            Assert.Equal(2, await CountAsync(database, clusterId, SiloStatus.Active));
            Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.StopAsync();
                silo.Dispose();
            }
        }
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, string clusterId)
    {
        var database = new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString };
        var options = new SiloOptions { Clustering = ClusteringMode.AdoNet, ClusterId = clusterId, GatewayPort = FreePort.Next() };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo.UseHubClustering(options, FreePort.Next(), database));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<int> CountAsync(HubDatabase database, string clusterId, SiloStatus status)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM orleansmembershiptable WHERE deploymentid = @clusterId AND status = @status", new { clusterId, status = (int)status });
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} not reached in 60 s");
            }

            await Task.Delay(100);
        }
    }
}
