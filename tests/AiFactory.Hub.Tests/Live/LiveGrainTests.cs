using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using Orleans.Concurrency;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Live;

/// <summary>The live grains in Orleans' in-process test cluster: staged sums, rebuilds and edge silence against SQL.</summary>
[Trait("Category", "Unit")]
public sealed class LiveGrainTests(LiveGrainTests.ClusterFixture fixture) : IClassFixture<LiveGrainTests.ClusterFixture>
{
    private LiveCluster Live => fixture.Live;

    [Fact]
    public async Task StagedAggregation_EveryLinePlantAndCompany_EqualsSql()
    {
        var (company, edges) = await StreamAsync("stage");

        await AssertScopesEqualSqlAsync(company, edges);
    }

    [Fact]
    public async Task GrainsDeactivated_RebuildFromSql_ToExactlyTheStateBefore()
    {
        var (company, edges) = await StreamAsync("rebuild");
        var scopes = Scopes(company);
        var before = new List<string>();
        foreach (var scope in scopes)
        {
            before.Add(JsonSerializer.Serialize(await scope.SnapshotAsync()));
        }

        var stations = new[] { "p1/l1/s1", "p1/l1/s2", "p1/l2/s3", "p2/l3/s4" }.Select(s => Live.Grains.GetGrain<IStationGrain>($"{company}/{s}")).ToList();
        var stationKpis = new List<string>();
        foreach (var station in stations)
        {
            stationKpis.Add(JsonSerializer.Serialize(await station.KpisAsync()));
        }

        foreach (var grain in scopes.Cast<IAddressable>().Concat(stations))
        {
            await Live.Cluster.DeactivateAsync(grain);
        }

        for (var i = 0; i < scopes.Count; i++)
        {
            Assert.Equal(before[i], JsonSerializer.Serialize(await scopes[i].SnapshotAsync()));
        }

        for (var i = 0; i < stations.Count; i++)
        {
            Assert.Equal(stationKpis[i], JsonSerializer.Serialize(await stations[i].KpisAsync()));
        }

        await AssertScopesEqualSqlAsync(company, edges);
    }

    [Fact]
    public async Task StationThatMissedABatch_RebuildsFromSql_OnItsEdgesNextBatch()
    {
        const string Company = "gap";
        await Live.SetupPlantAsync(Company, "p1", "gap-e1", ("l1", "s1"));
        var now = Live.Clock.GetUtcNow();
        var edge = Live.Grains.GetGrain<IEdgeGrain>("gap-e1");
        var station = Live.Grains.GetGrain<IStationGrain>($"{Company}/p1/l1/s1");
        await edge.ApplyAsync(new(Batch("gap-e1", 1, [Summary("gap-e1", Company, "p1", "l1", "s1", now, 10, 9, 1)])));
        Assert.Equal(10, (await station.KpisAsync()).OneHour.Frames);

        // The second batch is committed but its delta never reaches the station (as when a silo dies in between);
        // the edge's grain comes back knowing only SQL's high-water mark.
        await Live.Sql.ApplyAsync(EdgeCaller("gap-e1", Company), Batch("gap-e1", 2, [Summary("gap-e1", Company, "p1", "l1", "s1", now, 20, 20, 0)]), CancellationToken.None);
        await Live.Cluster.DeactivateAsync(edge);
        Assert.Equal(10, (await station.KpisAsync()).OneHour.Frames);

        await edge.ApplyAsync(new(Batch("gap-e1", 3, [Summary("gap-e1", Company, "p1", "l1", "s1", now, 5, 5, 0)])));

        var kpis = await station.KpisAsync();
        Assert.Equal((35L, 34L, 1L), (kpis.OneHour.Frames, kpis.OneHour.Pass, kpis.OneHour.Fail));
        var (from, to) = LiveAssert.Window(now, 60);
        LiveAssert.EqualsSql(await Live.Metrics.RunAsync(new MetricsScope(Company, "p1", "l1", "s1"), from, to, 60, CancellationToken.None), kpis.OneHour, "station s1");
    }

    [Fact]
    public async Task EdgeSilentForTheConfiguredTime_GoesOffline_AndComesBackWithItsNextUplink()
    {
        const string Company = "quiet";
        await Live.SetupPlantAsync(Company, "p1", "quiet-e1", ("l1", "s1"));
        var plant = Live.Grains.GetGrain<IPlantGrain>($"{Company}/p1");
        var probe = new SnapshotProbe();
        await plant.SubscribeAsync(Live.Grains.CreateObjectReference<ILiveObserver>(probe), TimeSpan.Zero);
        var edge = Live.Grains.GetGrain<IEdgeGrain>("quiet-e1");
        var heartbeat = Batch("quiet-e1", 0, []);

        await edge.ApplyAsync(new(heartbeat));
        await probe.WaitForAsync(s => s.EdgesOnline == 1, "the edge online after its heartbeat");
        Live.Clock.Advance(LiveCluster.OfflineAfter - TimeSpan.FromMilliseconds(1));
        Assert.True((await edge.StatusAsync()).Online);

        Live.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var offline = await probe.WaitForAsync(s => s.EdgesOnline == 0, "the edge offline after its silence");
        var shown = Assert.Single(offline.Edges);
        Assert.Equal(new EdgeLive("quiet-e1", false, Live.Clock.GetUtcNow() - LiveCluster.OfflineAfter), shown);
        Assert.False((await edge.StatusAsync()).Online);

        await edge.ApplyAsync(new(heartbeat));
        var back = await probe.WaitForAsync(s => s.EdgesOnline == 1, "the edge online again");
        Assert.Equal(new EdgeLive("quiet-e1", true, Live.Clock.GetUtcNow()), Assert.Single(back.Edges));
    }

    [Fact]
    public async Task APacedViewer_GetsAtMostOneSnapshotPerInterval_ThenTheLastChange_AnUnpacedOneEveryPush()
    {
        // Dashboard pages look at most every render interval; the API's streams want every change. Both on one line.
        const string Company = "pace";
        await Live.SetupPlantAsync(Company, "p1", "pace-e1", ("l1", "s1"));
        var line = Live.Grains.GetGrain<ILineGrain>($"{Company}/p1/l1");
        var edge = Live.Grains.GetGrain<IEdgeGrain>("pace-e1");
        var paced = new TimedProbe();
        var every = new TimedProbe();
        var interval = TimeSpan.FromMilliseconds(600);
        await line.SubscribeAsync(Live.Grains.CreateObjectReference<ILiveObserver>(paced), interval);
        await line.SubscribeAsync(Live.Grains.CreateObjectReference<ILiveObserver>(every), TimeSpan.Zero);
        var now = Live.Clock.GetUtcNow();

        for (var b = 1; b <= 20; b++)
        {
            await edge.ApplyAsync(new(Batch("pace-e1", b, [Summary("pace-e1", Company, "p1", "l1", "s1", now, 1, 1, 0)])));
            await Task.Delay(100);
        }

        await every.WaitForAsync(20);
        await paced.WaitForAsync(20);
        var pacedGaps = paced.Gaps();
        Assert.All(pacedGaps, gap => Assert.True(gap > interval - TimeSpan.FromMilliseconds(150), $"a paced viewer got snapshots {gap.TotalMilliseconds:F0} ms apart: {string.Join(", ", pacedGaps.Select(g => g.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}"));
        Assert.True(every.Count >= 10, $"the unpaced viewer got {every.Count} snapshots of 20 changes over 2 s");
        Assert.True(paced.Count <= 6, $"the paced viewer got {paced.Count} snapshots over about 2 s at one per {interval.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task IdleStationsAndLines_AreListedIdle_AndOneRegisteredLater_ShowsToTheNextView()
    {
        const string Company = "idle";
        await Live.SetupPlantAsync(Company, "p1", "idle-e1", ("l1", "s1"), ("l1", "s2"), ("l1", "s3"), ("l2", "s4"));
        var now = Live.Clock.GetUtcNow();
        await Live.Grains.GetGrain<IEdgeGrain>("idle-e1").ApplyAsync(new(Batch("idle-e1", 1, [Summary("idle-e1", Company, "p1", "l1", "s1", now, 10, 9, 1)])));
        var lineProbe = new SnapshotProbe();
        var line = Live.Grains.GetGrain<ILineGrain>($"{Company}/p1/l1");
        await line.SubscribeAsync(Live.Grains.CreateObjectReference<ILiveObserver>(lineProbe), TimeSpan.Zero);

        var shown = await lineProbe.WaitForAsync(s => s.Kpis.OneHour.Frames == 10, "the line with s1's frames");
        Assert.Equal(["s1", "s2", "s3"], shown.Children.Select(c => c.Id));
        Assert.Equal("failing", shown.Children[0].Status);
        foreach (var idle in shown.Children.Skip(1))
        {
            Assert.Equal(("idle", 0L), (idle.Status, idle.OneHour.Frames));
            Assert.Null(idle.Latest);
        }

        var plant = await Live.Grains.GetGrain<IPlantGrain>($"{Company}/p1").SnapshotAsync();
        Assert.Equal(["l1", "l2"], plant.Children.Select(c => c.Id));
        Assert.Equal("idle", plant.Children[1].Status);

        // A station registered while the line's grain is active is listed from the next view on, before it reports.
        await Live.Tenancy.CreateStationAsync(LiveCluster.SetupActor, Company, "p1", "l1", "s5", "s5", CancellationToken.None);
        var second = new SnapshotProbe();
        await line.SubscribeAsync(Live.Grains.CreateObjectReference<ILiveObserver>(second), TimeSpan.Zero);
        Assert.Equal(["s1", "s2", "s3", "s5"], (await second.WaitForAsync(s => s.Children.Count == 4, "the new station listed")).Children.Select(c => c.Id));

        // Listing idle children changes no figure: the line still equals SQL.
        var (from, to) = LiveAssert.Window(now, 60);
        LiveAssert.EqualsSql(await Live.Metrics.RunAsync(new MetricsScope(Company, "p1", "l1"), from, to, 60, CancellationToken.None), (await line.SnapshotAsync()).Kpis.OneHour, "line l1");
    }

    [Fact]
    public async Task LineSnapshot_KeepsAStationThatDidNotReport_UpdatesOneThatDid_AndMovesAllOnWhenTheMinuteTurns()
    {
        // A snapshot reuses each station's figures until that station reports again or the minute turns.
        const string Company = "reuse";
        await Live.SetupPlantAsync(Company, "p1", "reuse-e1", ("l1", "s1"), ("l1", "s2"));
        var now = Live.Clock.GetUtcNow();
        var edge = Live.Grains.GetGrain<IEdgeGrain>("reuse-e1");
        var line = Live.Grains.GetGrain<ILineGrain>($"{Company}/p1/l1");
        await edge.ApplyAsync(new(Batch("reuse-e1", 1, [Summary("reuse-e1", Company, "p1", "l1", "s1", now, 10, 10, 0), Summary("reuse-e1", Company, "p1", "l1", "s2", now, 10, 9, 1)])));
        var first = await SnapshotWhenAsync(line, s => s.Kpis.OneHour.Frames == 20, "both stations' frames");
        Assert.Equal([("s1", "ok", 10L, 10L), ("s2", "failing", 10L, 10L)], first.Children.Select(c => (c.Id, c.Status, c.OneMinute.Frames, c.OneHour.Frames)));

        await edge.ApplyAsync(new(Batch("reuse-e1", 3, [Summary("reuse-e1", Company, "p1", "l1", "s1", now, 5, 4, 1)])));
        var second = await SnapshotWhenAsync(line, s => s.Kpis.OneHour.Frames == 25, "s1's second summary");
        Assert.Equal([("s1", "failing", 15L, 15L), ("s2", "failing", 10L, 10L)], second.Children.Select(c => (c.Id, c.Status, c.OneMinute.Frames, c.OneHour.Frames)));

        // The next minute: neither reported in it, so both are idle over one minute and keep their hour.
        Live.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await line.SnapshotAsync();
        Assert.Equal([("s1", "idle", 0L, 15L), ("s2", "idle", 0L, 10L)], third.Children.Select(c => (c.Id, c.Status, c.OneMinute.Frames, c.OneHour.Frames)));
        var (from, to) = LiveAssert.Window(Live.Clock.GetUtcNow(), 60);
        LiveAssert.EqualsSql(await Live.Metrics.RunAsync(new MetricsScope(Company, "p1", "l1", "s1"), from, to, 60, CancellationToken.None), third.Children[0].OneHour, "station s1");
    }

    private static async Task<LiveSnapshot> SnapshotWhenAsync(ILiveScopeGrain scope, Func<LiveSnapshot, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var snapshot = await scope.SnapshotAsync();
            if (condition(snapshot))
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no snapshot with {what} within 10 s");
            await Task.Delay(20);
        }
    }

    private static HubCaller EdgeCaller(string edge, string company) => new(edge, HubRole.Edge, company, edge, "p1");

    private List<ILiveScopeGrain> Scopes(string company) =>
    [
        Live.Grains.GetGrain<ILineGrain>($"{company}/p1/l1"), Live.Grains.GetGrain<ILineGrain>($"{company}/p1/l2"), Live.Grains.GetGrain<ILineGrain>($"{company}/p2/l3"),
        Live.Grains.GetGrain<IPlantGrain>($"{company}/p1"), Live.Grains.GetGrain<IPlantGrain>($"{company}/p2"), Live.Grains.GetGrain<ICompanyGrain>(company),
    ];

    /// <summary>
    /// Two plants, three lines, four stations and two edges; six batches each over the last few minutes, with events,
    /// classes, anomalies and several latencies. Waits until the company shows every frame; answers the edges.
    /// </summary>
    private async Task<(string Company, string[] Edges)> StreamAsync(string company)
    {
        var edges = new[] { $"{company}-e1", $"{company}-e2" };
        await Live.SetupPlantAsync(company, "p1", edges[0], ("l1", "s1"), ("l1", "s2"), ("l2", "s3"));
        await Live.SetupPlantAsync(company, "p2", edges[1], ("l3", "s4"));
        var probe = new SnapshotProbe();
        await Live.Grains.GetGrain<ICompanyGrain>(company).SubscribeAsync(Live.Grains.CreateObjectReference<ILiveObserver>(probe), TimeSpan.Zero);
        var now = Live.Clock.GetUtcNow();
        long frames = 0;
        var plants = new[] { (edges[0], "p1", new[] { ("l1", "s1"), ("l1", "s2"), ("l2", "s3") }), (edges[1], "p2", new[] { ("l3", "s4") }) };
        foreach (var (_, _, stations) in plants)
        {
            frames += stations.Length * Enumerable.Range(0, 6).Sum(b => 10 + (3 * b));
        }

        // Each edge sends its batches in order, each after the last one's ack; the two edges at once.
        await Task.WhenAll(plants.Select(async p =>
        {
            var (edge, plant, stations) = p;
            var grain = Live.Grains.GetGrain<IEdgeGrain>(edge);
            var sequence = 1L;
            for (var b = 0; b < 6; b++)
            {
                var items = new List<object>();
                foreach (var (line, station) in stations)
                {
                    var f = 10 + (3 * b);
                    items.Add(Summary(edge, company, plant, line, station, now.AddMinutes(-b).AddSeconds(b), f, f - b, b, anomalies: b % 2, latencyMs: 0.4 + (b * 7),
                        classes: new Dictionary<string, long> { ["ok"] = f - b, [b % 2 == 0 ? "scratch" : "dent"] = b }));
                    if (b % 2 == 1)
                    {
                        items.Add(Event(company, plant, line, station, now.AddMinutes(-b).AddSeconds(b), "defect", "dent"));
                    }
                }

                var ack = await grain.ApplyAsync(new Immutable<UplinkBatch>(Batch(edge, sequence, items)));
                Assert.Equal(items.Count, ack.Applied);
                sequence += items.Count;
            }
        }));
        await probe.WaitForAsync(s => s.Kpis.OneHour.Frames == frames, $"all {frames} frames in the company");
        return (company, edges);
    }

    private async Task AssertScopesEqualSqlAsync(string company, string[] edges)
    {
        var now = Live.Clock.GetUtcNow();
        foreach (var scope in Scopes(company))
        {
            var snapshot = await scope.SnapshotAsync();
            var where = new MetricsScope(snapshot.CompanyId, snapshot.PlantId, snapshot.LineId);
            foreach (var (minutes, kpi) in new[] { (1, snapshot.Kpis.OneMinute), (15, snapshot.Kpis.FifteenMinutes), (60, snapshot.Kpis.OneHour) })
            {
                var (from, to) = LiveAssert.Window(now, minutes);
                LiveAssert.EqualsSql(await Live.Metrics.RunAsync(where, from, to, 60, CancellationToken.None), kpi, $"{where.Describe()} over {minutes} min");
            }

            if (where.LineId is not null)
            {
                var fleet = new FleetQuery(Live.Database, Microsoft.Extensions.Options.Options.Create(new HubOptions()), Live.Clock);
                var stored = await fleet.EventsAsync(company, where.PlantId!, where.LineId, now.AddHours(-1), now.AddHours(1), 20, CancellationToken.None);
                Assert.NotEmpty(stored);
                Assert.Equal(
                    stored.Select(e => (e.EdgeId, e.Sequence, e.StationId, e.TimeUtc, e.Kind, e.Class)),
                    snapshot.Events.Select(e => (e.EdgeId, e.Sequence, e.StationId, e.TimeUtc, e.Kind, e.Class)));
            }
        }

        var p1 = await Live.Grains.GetGrain<IPlantGrain>($"{company}/p1").SnapshotAsync();
        Assert.Equal(new EdgeLive(edges[0], true, now), Assert.Single(p1.Edges));
        Assert.Equal((2, 2), ((await Live.Grains.GetGrain<ICompanyGrain>(company).SnapshotAsync()).EdgesOnline, 2));
    }

    /// <summary>One in-process cluster for the class; each test works in its own company.</summary>
    public sealed class ClusterFixture : IAsyncLifetime
    {
        public LiveCluster Live { get; private set; } = null!;

        public async Task InitializeAsync() => Live = await LiveCluster.StartAsync();

        public async Task DisposeAsync() => await Live.DisposeAsync();
    }

    /// <summary>Counts the snapshots an observer gets, with when each came, and waits for the frames of one.</summary>
    private sealed class TimedProbe : ILiveObserver
    {
        private readonly Lock _gate = new();
        private readonly List<(long At, long Frames)> _got = [];

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _got.Count;
                }
            }
        }

        public Task OnSnapshotAsync(LiveSnapshot snapshot)
        {
            lock (_gate)
            {
                _got.Add((System.Diagnostics.Stopwatch.GetTimestamp(), snapshot.Kpis.OneHour.Frames));
            }

            return Task.CompletedTask;
        }

        /// <summary>The time between each two snapshots after the first (which comes at subscription).</summary>
        public List<TimeSpan> Gaps()
        {
            lock (_gate)
            {
                return _got.Skip(1).Zip(_got.Skip(2)).Select(p => System.Diagnostics.Stopwatch.GetElapsedTime(p.First.At, p.Second.At)).ToList();
            }
        }

        public async Task WaitForAsync(long frames)
        {
            var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (20 * System.Diagnostics.Stopwatch.Frequency);
            while (true)
            {
                lock (_gate)
                {
                    if (_got.Count > 0 && _got[^1].Frames == frames)
                    {
                        return;
                    }
                }

                Assert.True(System.Diagnostics.Stopwatch.GetTimestamp() < deadline, $"no snapshot with {frames} frames within 20 s");
                await Task.Delay(20);
            }
        }
    }
}
