using AiFactory.Hub.Live;
using Microsoft.Extensions.DependencyInjection;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Live;

/// <summary>
/// Orleans runs a new activation's first turn under that activation's lock, and SQLite's calls never really await: new
/// grains calling each other from there could each wait for the other's lock for good (<see cref="ActivationLock"/>).
/// The drill's opening move, replayed round after round: new edges' first batches into a new plant at once.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ActivationLockTests
{
    private const int Rounds = 240;
    private const int Edges = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task NewEdgesFirstBatchesIntoANewPlant_EveryRound_AllAnswer()
    {
        var live = await LiveCluster.StartAsync();
        try
        {
            await RoundsAsync(live);
        }
        finally
        {
            try
            {
                await live.DisposeAsync().AsTask().WaitAsync(Patience);
            }
            catch (TimeoutException)
            {
                // Deadlocked grains never deactivate: a failed run must not hang the suite on the silo's shutdown.
            }
        }
    }

    private static async Task RoundsAsync(LiveCluster live)
    {
        var now = live.Clock.GetUtcNow();

        // The silo's own grain factory, as the hub's ingest endpoint calls it: messages go to local activations directly.
        var grains = ((Orleans.TestingHost.InProcessSiloHandle)live.Cluster.Silos[0]).ServiceProvider.GetRequiredService<IGrainFactory>();
        for (var round = 0; round < Rounds; round++)
        {
            var company = $"lock{round}";
            var edges = Enumerable.Range(0, Edges).Select(i => $"{company}-e{i}").ToArray();
            for (var i = 0; i < Edges; i++)
            {
                await live.SetupPlantAsync(company, "p1", edges[i], ($"l{i}", $"s{i}"));
            }

            // Each from a thread of its own, as the hub's HTTP requests come, a little after the one before: an edge
            // whose batch finds SQLite's writer free runs its whole first turn at once, which the hazard needs.
            var stagger = TimeSpan.FromMicroseconds(250 * (round % 24));
            var calls = edges.Select((edge, i) => Task.Run(() =>
            {
                var due = System.Diagnostics.Stopwatch.GetTimestamp();
                while (System.Diagnostics.Stopwatch.GetElapsedTime(due) < stagger * i)
                {
                    Thread.SpinWait(50);
                }

                return grains.GetGrain<IEdgeGrain>(edge).ApplyAsync(new(Batch(edge, 1, [Summary(edge, company, "p1", $"l{i}", $"s{i}", now, 10, 10, 0)])));
            })).ToList();
            var all = Task.WhenAll(calls);
            Assert.True(await Task.WhenAny(all, Task.Delay(Patience)) == all, $"round {round}: the first batches of {string.Join(", ", edges)} got no answer within {Patience.TotalSeconds} s");
            await all;
            var plant = await live.Grains.GetGrain<IPlantGrain>($"{company}/p1").SnapshotAsync();
            Assert.Equal(Edges, plant.EdgesTotal);
        }
    }
}
