using System.Net.Http.Json;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Orleans.Runtime;

namespace AiFactory.Hub.Tests.Cluster;

/// <summary>
/// The whole system: three hub silos in one Orleans cluster on PostgreSQL behind nginx while six edges stream; one silo
/// is killed with SIGKILL twice and started again. Every edge resends until acknowledged, as the real uplink does,
/// so at the end the hub must hold exactly what the edges produced: nothing lost, nothing doubled. A seventh edge
/// sends to the doomed silo directly in each of its lives.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterFailoverTests
{
    private const string Range = "?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z&bucket=minute";
    private const int Edges = 6;
    private const int BatchesPerEdge = 40;
    private static readonly (string Line, string Station)[] Stations = [("l1", "s1"), ("l1", "s2"), ("l2", "s3"), ("l2", "s4")];

    [NginxFact]
    public async Task SiloKilledTwiceWhileEdgesStream_HubTotalsEqualEdgeTotals()
    {
        var adminKey = ApiKey.Generate().Key;
        var clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];
        await using var db = await PostgresDatabase.CreateAsync();
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HubProcess.StartAsync(
            "PostgreSql", db.ConnectionString, adminKey,
            "--Hub:Silo:Clustering=AdoNet", $"--Hub:Silo:SiloPort={FreePort.Next()}", $"--Hub:Silo:ClusterId={clusterId}",
            "--Hub:Silo:Dashboard=false", "--Serilog:MinimumLevel:Default=Warning")));
        try
        {
            await using var nginx = await NginxProxy.StartAsync(silos.Select(s => s.Port).ToList());
            var keys = await SetupAsync(nginx.Address, adminKey);
            var acked = 0;
            var milestones = new SortedList<int, TaskCompletionSource>();
            Task Acked(int count)
            {
                lock (milestones)
                {
                    var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    milestones.Add(count, signal);
                    return signal.Task.WaitAsync(TimeSpan.FromSeconds(180));
                }
            }

            void OneMore()
            {
                var now = Interlocked.Increment(ref acked);
                lock (milestones)
                {
                    foreach (var m in milestones.Where(m => m.Key <= now).ToList())
                    {
                        m.Value.TrySetResult();
                        milestones.Remove(m.Key);
                    }
                }
            }

            var senders = keys.Take(Edges).Select((key, e) => (Sender: new RetryingSender(Client(nginx.Address, key), $"e{e}"), Edge: e)).ToList();
            var firstKill = Acked(40);
            var afterFirstKill = Acked(70);
            var secondKill = Acked(110);
            var afterSecondKill = Acked(140);
            var streaming = Task.WhenAll(senders.Select(s => Task.Run(async () =>
            {
                for (var b = 0; b < BatchesPerEdge; b++)
                {
                    var (line, station) = Stations[(s.Edge + b) % Stations.Length];
                    await s.Sender.SendAsync("acme", "p1", line, station, Batches.T0.AddMinutes(b), 5, s.Edge + 2, CancellationToken.None);
                    OneMore();
                }
            })));

            // A seventh edge talks to the silo that gets killed, straight and not through nginx, once in each of its
            // lives: each generation must serve ingest, whatever share of the stream nginx happened to give it.
            var probe = new RetryingSender(Client(silos[1].Address, keys[Edges]), $"e{Edges}");
            var generations = new List<string>();
            async Task ProbeAsync()
            {
                generations.Add(Instance(silos[1]));
                await probe.SendAsync("acme", "p1", "l2", "s4", Batches.T0.AddMinutes(generations.Count), 5, 1, CancellationToken.None);
            }

            await firstKill;
            await ProbeAsync();
            await silos[1].KillAsync();
            await afterFirstKill;
            await silos[1].StartAgainAsync();
            await ProbeAsync();
            await secondKill;
            await silos[1].KillAsync();
            await afterSecondKill;
            await silos[1].StartAgainAsync();
            await ProbeAsync();
            await streaming.WaitAsync(TimeSpan.FromSeconds(300));

            var produced = senders.Sum(s => s.Sender.FramesProduced) + probe.FramesProduced;
            Assert.Equal(Enumerable.Range(0, Edges).Sum(e => BatchesPerEdge * 5L * (e + 2)) + 15, produced);
            foreach (var silo in silos)
            {
                using var admin = Client(silo.Address, adminKey);
                var company = (await admin.GetFromJsonAsync<MetricsResponse>("/api/v1/companies/acme/metrics" + Range))!.Totals;
                var lines = await Task.WhenAll(new[] { "l1", "l2" }.Select(l => admin.GetFromJsonAsync<MetricsResponse>($"/api/v1/companies/acme/plants/p1/lines/{l}/metrics" + Range)));
                Assert.Equal(produced, company.Frames);
                Assert.Equal(produced, lines.Sum(l => l!.Totals.Frames));
            }

            // The killed silo served ingest in each of its three lives, and the cluster declared the first two dead.
            Assert.Equal(generations.Order(StringComparer.Ordinal), probe.ServedBy.Order(StringComparer.Ordinal));
            Assert.Equal(3, generations.Distinct().Count());
            Assert.Equal([SiloStatus.Dead, SiloStatus.Dead, SiloStatus.Active], await GenerationsAsync(db.ConnectionString, clusterId, silos[1]));
        }
        catch
        {
            Console.WriteLine(string.Join("\n---\n", silos.Select(s => s.Output)));
            throw;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static string Instance(HubProcess silo) => $"{Environment.MachineName}/{silo.ProcessId}";

    /// <summary>The membership rows of one silo's port, oldest generation first, once no generation but the last is still alive.</summary>
    private static async Task<List<SiloStatus>> GenerationsAsync(string connectionString, string clusterId, HubProcess silo)
    {
        var port = int.Parse(silo.Argument("--Hub:Silo:SiloPort=")!, System.Globalization.CultureInfo.InvariantCulture);
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var rows = (await Dapper.SqlMapper.QueryAsync<int>(connection,
                "SELECT status FROM orleansmembershiptable WHERE deploymentid = @clusterId AND port = @port ORDER BY generation", new { clusterId, port }))
                .Select(s => (SiloStatus)s).ToList();
            if (rows.Count(r => r == SiloStatus.Dead) == rows.Count - 1 || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(200);
        }
    }

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    private static async Task<string[]> SetupAsync(Uri address, string adminKey)
    {
        using var admin = Client(address, adminKey);
        await PostAsync(admin, "/api/v1/admin/companies", new { id = "acme" });
        await PostAsync(admin, "/api/v1/admin/companies/acme/plants", new { id = "p1" });
        foreach (var line in Stations.Select(s => s.Line).Distinct())
        {
            await PostAsync(admin, "/api/v1/admin/companies/acme/plants/p1/lines", new { id = line });
        }

        foreach (var (line, station) in Stations)
        {
            await PostAsync(admin, $"/api/v1/admin/companies/acme/plants/p1/lines/{line}/stations", new { id = station });
        }

        var keys = new string[Edges + 1];
        for (var e = 0; e <= Edges; e++)
        {
            var created = await PostAsync(admin, "/api/v1/admin/companies/acme/plants/p1/edges", new { id = $"e{e}" });
            keys[e] = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }

        return keys;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
