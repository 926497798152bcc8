using System.Net;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>Ingest and aggregation scenarios against a real hub; the test classes choose the database.</summary>
internal static class IngestScenarios
{
    private const string Q = "?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z&bucket=minute";

    public static async Task Batch_AggregatesPerStationLinePlantAndCompanyExactly(Func<Task<HubHarness>> start)
    {
        await using var hub = await start();
        var key = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l1", "s2"), ("l2", "s3"));
        using var edge = hub.Client(key);
        var batch = Batch("e1", 1,
        [
            Summary("e1", "acme", "p1", "l1", "s1", T0, 100, 95, 5, anomalies: 5, latencyMs: 0.8),
            Summary("e1", "acme", "p1", "l1", "s1", T0.AddSeconds(10), 50, 50, 0, latencyMs: 0.8),
            Summary("e1", "acme", "p1", "l1", "s2", T0, 40, 30, 10, classes: new Dictionary<string, long> { ["Bumps"] = 6, ["Stains"] = 4 }, model: "steel", latencyMs: 4),
            Summary("e1", "acme", "p1", "l2", "s3", T0.AddMinutes(1), 10, 10, 0),
            Event("acme", "p1", "l1", "s1", T0.AddSeconds(3)),
        ]);

        var response = await edge.PostAsync("/api/v1/ingest", Json(batch, gzip: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = (await response.Content.ReadFromJsonAsync<UplinkAck>())!;
        Assert.Equal(new UplinkAck("e1", 5, 5, 0), ack);
        var station = await Metrics(hub, "/api/v1/companies/acme/plants/p1/lines/l1/stations/s1/metrics");
        Assert.Equal((150L, 145L, 5L, 5L), (station.Totals.Frames, station.Totals.Pass, station.Totals.Fail, station.Totals.Anomalies));
        Assert.Equal(145.0 / 150, station.Totals.FirstPassYield);
        Assert.InRange(station.Totals.LatencyP50Ms!.Value, 0.75, 0.8);
        var line = await Metrics(hub, "/api/v1/companies/acme/plants/p1/lines/l1/metrics");
        Assert.Equal((190L, 175L, 15L), (line.Totals.Frames, line.Totals.Pass, line.Totals.Fail));
        Assert.Equal(6, line.ClassCounts["Bumps"]);
        Assert.Equal(4.0 / 190, line.DefectRatePerClass["Stains"]);
        var plant = await Metrics(hub, "/api/v1/companies/acme/plants/p1/metrics");
        var company = await Metrics(hub, "/api/v1/companies/acme/metrics");
        Assert.Equal(200, plant.Totals.Frames);
        Assert.Equal(200, company.Totals.Frames);
        Assert.Equal([T0, T0.AddMinutes(1)], company.Series.Select(p => p.Start).ToArray());
        Assert.Equal([190L, 10L], company.Series.Select(p => p.Frames).ToArray());
        var hourly = (await hub.Admin.GetFromJsonAsync<MetricsResponse>("/api/v1/companies/acme/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z&bucket=hour"))!;
        Assert.Equal(200, hourly.Totals.Frames);
        Assert.Single(hourly.Series);
        var events = (await hub.Admin.GetFromJsonAsync<List<EventRow>>("/api/v1/companies/acme/plants/p1/lines/l1/events?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z"))!;
        Assert.Equal(5, Assert.Single(events).Sequence);
    }

    public static async Task SameBatchTwiceAndReplayedLater_ChangesNothing(Func<Task<HubHarness>> start)
    {
        await using var hub = await start();
        var key = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var edge = hub.Client(key);
        var batch = Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", T0, 10, 9, 1), Event("acme", "p1", "l1", "s1", T0)]);

        var first = (await (await edge.PostAsync("/api/v1/ingest", Json(batch))).Content.ReadFromJsonAsync<UplinkAck>())!;
        var second = (await (await edge.PostAsync("/api/v1/ingest", Json(batch))).Content.ReadFromJsonAsync<UplinkAck>())!;
        var later = Batch("e1", 3, [Summary("e1", "acme", "p1", "l1", "s1", T0.AddSeconds(10), 5, 5, 0)]);
        await edge.PostAsync("/api/v1/ingest", Json(later));
        var replay = (await (await edge.PostAsync("/api/v1/ingest", Json(batch, gzip: true))).Content.ReadFromJsonAsync<UplinkAck>())!;

        Assert.Equal(new UplinkAck("e1", 2, 2, 0), first);
        Assert.Equal(new UplinkAck("e1", 2, 0, 2), second);
        Assert.Equal(new UplinkAck("e1", 3, 0, 2), replay);
        var m = await Metrics(hub, "/api/v1/companies/acme/metrics");
        Assert.Equal((15L, 14L, 1L), (m.Totals.Frames, m.Totals.Pass, m.Totals.Fail));
        var edges = (await hub.Admin.GetFromJsonAsync<List<EdgeStatus>>("/api/v1/companies/acme/plants/p1/edges"))!;
        Assert.Equal((3L, 3L, 4L), (Assert.Single(edges).LastSequence, edges[0].Records, edges[0].DuplicateRecords));
    }

    public static async Task RecutBatchOverlappingAnAppliedOne_AppliesOnlyTheNewRecords(Func<Task<HubHarness>> start)
    {
        await using var hub = await start();
        var key = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var edge = hub.Client(key);
        var items = Enumerable.Range(0, 6).Select(i => (object)Summary("e1", "acme", "p1", "l1", "s1", T0.AddSeconds(10 * i), 10, 10, 0)).ToList();
        await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, items.Take(4))));

        var ack = (await (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 3, items.Skip(2))))).Content.ReadFromJsonAsync<UplinkAck>())!;

        Assert.Equal(new UplinkAck("e1", 6, 2, 2), ack);
        Assert.Equal(60, (await Metrics(hub, "/api/v1/companies/acme/metrics")).Totals.Frames);
    }

    public static async Task OutboxReport_IsShownWithTheEdgeOnline(Func<Task<HubHarness>> start)
    {
        await using var hub = await start();
        var key = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var edge = hub.Client(key);

        await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", T0, 1, 1, 0)], new OutboxReport(42, 4200, T0, 7, 0, 1))));

        var e = Assert.Single((await hub.Admin.GetFromJsonAsync<List<EdgeStatus>>("/api/v1/companies/acme/plants/p1/edges"))!);
        Assert.True(e.Online);
        Assert.Equal((42L, 4200L, 7L, 0L, 1L), (e.BacklogRecords, e.BacklogBytes, e.DroppedOldest, e.RejectedNew, e.Quarantined));
    }

    public static async Task ConcurrentBatchesFromManyEdges_SumExactly(Func<Task<HubHarness>> start)
    {
        await using var hub = await start();
        var keys = new List<string>();
        for (var e = 0; e < 4; e++)
        {
            keys.Add(await hub.SetupPlantAsync("acme", "p1", $"e{e}", ("l1", "s1")));
        }

        await Task.WhenAll(keys.Select(async (key, e) =>
        {
            using var edge = hub.Client(key);
            for (var b = 0; b < 10; b++)
            {
                var batch = Batch($"e{e}", (b * 3) + 1, Enumerable.Range(0, 3).Select(i => (object)Summary($"e{e}", "acme", "p1", "l1", "s1", T0.AddSeconds(10 * i), 7, 7, 0)));
                var response = await edge.PostAsync("/api/v1/ingest", Json(batch));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));

        Assert.Equal(4 * 10 * 3 * 7, (await Metrics(hub, "/api/v1/companies/acme/metrics")).Totals.Frames);
    }

    private static async Task<MetricsResponse> Metrics(HubHarness hub, string path) =>
        (await hub.Admin.GetFromJsonAsync<MetricsResponse>(path + Q))!;
}
