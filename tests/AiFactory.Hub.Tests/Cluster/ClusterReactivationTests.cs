using System.Globalization;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Orleans.Runtime;

namespace AiFactory.Hub.Tests.Cluster;

/// <summary>
/// Grains lost with their silo come back on another silo with the state SQL holds: each of three silos in turn is
/// killed -9 while the others answer the lines' live views, which must equal SQL's totals for the line and each station.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterReactivationTests
{
    private static readonly string[] Lines = ["l0", "l1", "l2", "l3", "l4", "l5"];
    private static readonly string[] StationIds = ["s1", "s2"];

    [PostgresFact]
    public async Task GrainsReactivatedOnOtherSilos_LiveStateEqualsSql()
    {
        await using var cluster = await SiloCluster.StartAsync(3);
        var silos = cluster.Silos;
        try
        {
            var keys = await cluster.SetupAsync(silos[0].Address, 2, Lines.SelectMany(l => StationIds.Select(s => (l, s))));
            var now = DateTimeOffset.UtcNow;
            var range = $"?from={Iso(now.AddHours(-2))}&to={Iso(now.AddMinutes(1))}";
            for (var e = 0; e < keys.Length; e++)
            {
                var sender = new RetryingSender(SiloCluster.Client(silos[0].Address, keys[e]), $"e{e}");
                for (var b = 0; b < 12; b++)
                {
                    var line = Lines[(e * 3) + (b % 3)];
                    await sender.SendAsync("acme", "p1", line, StationIds[b % 2], now.AddMinutes(-14 + b), 3, (b % 4) + 1, CancellationToken.None);
                }
            }

            await AssertLiveEqualsSqlAsync(silos[0], cluster.AdminKey, range);

            // Each silo in turn is killed -9 and declared dead (two survivors can vote it out), and the lines are read
            // through the next one; the killed silo comes back before the next kill. Every grain lived on one of the
            // three, so each is reactivated, on another silo, at least once.
            for (var victim = 0; victim < 3; victim++)
            {
                await silos[victim].KillAsync();
                Assert.Equal([SiloStatus.Dead], await cluster.GenerationsAsync(silos[victim], dead: 1));
                await AssertLiveEqualsSqlAsync(silos[(victim + 1) % 3], cluster.AdminKey, range);
                await silos[victim].StartAgainAsync();
            }
        }
        catch
        {
            Console.WriteLine(cluster.Output);
            throw;
        }
    }

    private static async Task AssertLiveEqualsSqlAsync(HubProcess silo, string adminKey, string range)
    {
        using var client = SiloCluster.Client(silo.Address, adminKey);
        client.Timeout = TimeSpan.FromSeconds(60);
        foreach (var line in Lines)
        {
            var sql = await LiveTotals.FromSqlAsync(client, line, StationIds, range);
            var live = await LiveTotals.FromLiveViewAsync(client, line, sql, TimeSpan.FromSeconds(20));
            Assert.Equal(sql, live);
            Assert.True(sql.Frames > 0, $"line {line} has no data");
        }
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
