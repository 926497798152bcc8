using System.Net.Http.Json;
using AiFactory.Hub.Queries;
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
        await using var cluster = await SiloCluster.StartAsync(3);
        var silos = cluster.Silos;
        try
        {
            await using var nginx = await NginxProxy.StartAsync(silos.Select(s => s.Port).ToList());
            var keys = await cluster.SetupAsync(nginx.Address, Edges + 1, Stations);
            var progress = new AckMilestones();
            var senders = keys.Take(Edges).Select((key, e) => (Sender: new RetryingSender(SiloCluster.Client(nginx.Address, key), $"e{e}"), Edge: e)).ToList();
            var firstKill = progress.At(40);
            var afterFirstKill = progress.At(70);
            var secondKill = progress.At(110);
            var afterSecondKill = progress.At(140);
            var streaming = Task.WhenAll(senders.Select(s => Task.Run(async () =>
            {
                for (var b = 0; b < BatchesPerEdge; b++)
                {
                    var (line, station) = Stations[(s.Edge + b) % Stations.Length];
                    await s.Sender.SendAsync("acme", "p1", line, station, Batches.T0.AddMinutes(b), 5, s.Edge + 2, CancellationToken.None);
                    progress.OneMore();
                }
            })));

            // A seventh edge talks to the silo that gets killed, straight and not through nginx, once in each of its
            // lives: each generation must serve ingest, whatever share of the stream nginx happened to give it.
            var probe = new RetryingSender(SiloCluster.Client(silos[1].Address, keys[Edges]), $"e{Edges}");
            var generations = new List<string>();
            async Task ProbeAsync()
            {
                generations.Add(SiloCluster.Instance(silos[1]));
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
                using var admin = SiloCluster.Client(silo.Address, cluster.AdminKey);
                var company = (await admin.GetFromJsonAsync<MetricsResponse>("/api/v1/companies/acme/metrics" + Range))!.Totals;
                var lines = await Task.WhenAll(new[] { "l1", "l2" }.Select(l => admin.GetFromJsonAsync<MetricsResponse>($"/api/v1/companies/acme/plants/p1/lines/{l}/metrics" + Range)));
                Assert.Equal(produced, company.Frames);
                Assert.Equal(produced, lines.Sum(l => l!.Totals.Frames));
            }

            // The killed silo served ingest in each of its three lives, and the cluster declared the first two dead.
            Assert.Equal(generations.Order(StringComparer.Ordinal), probe.ServedBy.Order(StringComparer.Ordinal));
            Assert.Equal(3, generations.Distinct().Count());
            Assert.Equal([SiloStatus.Dead, SiloStatus.Dead, SiloStatus.Active], await cluster.GenerationsAsync(silos[1], dead: 2));
        }
        catch
        {
            Console.WriteLine(cluster.Output);
            throw;
        }
    }
}
