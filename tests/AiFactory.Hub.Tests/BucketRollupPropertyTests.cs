using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tests.Support;
using CsCheck;

namespace AiFactory.Hub.Tests;

/// <summary>Roll-ups through the real ingest and query path: for arbitrary windows in an hour, the minute buckets add up to the hour bucket and to the totals.</summary>
[Trait("Category", "Integration")]
public sealed class BucketRollupPropertyTests
{
    private static readonly Gen<StationWindowSummary[]> Windows =
        Gen.Select(Gen.Int[0, 3_599], Gen.Int[1, 60], Gen.Int[0, 60], Gen.Int[0, 60], Gen.Int[0, 3])
            .Select(w => Batches.Summary(
                "e1", "acme", "p1", "l1", "s1", Batches.T0.AddSeconds(w.Item1), w.Item2 + w.Item3, w.Item2, w.Item3, Math.Min(w.Item4, w.Item2 + w.Item3),
                classes: new Dictionary<string, long> { ["Bumps"] = Math.Min(w.Item5, w.Item3) }))
            .Array[1, 25];

    [Fact]
    public async Task MinuteBuckets_OfAnyWindowsInAnHour_AddUpToTheHourBucket()
    {
        await using var hub = await HubHarness.StartAsync();
        var round = 0;
        await Windows.SampleAsync(async windows =>
        {
            // Each sample in its own company (and edge: edge ids are global), so the buckets hold exactly its windows.
            var (company, edgeId) = ($"c{round}", $"e{round++}");
            var summaries = windows.Select(w => w with { CompanyId = company, EdgeId = edgeId }).ToArray();
            var key = await hub.SetupPlantAsync(company, "p1", edgeId, ("l1", "s1"));
            using var edge = hub.Client(key);
            Assert.Equal(HttpStatusCode.OK, (await edge.PostAsync("/api/v1/ingest", Batches.Json(Batches.Batch(edgeId, 1, summaries)))).StatusCode);

            var minutes = await Metrics(hub, company, "minute");
            var hour = await Metrics(hub, company, "hour");

            var point = Assert.Single(hour.Series);
            Assert.Equal(Batches.T0, point.Start);
            Assert.Equal(
                (summaries.Sum(s => s.FramesScored), summaries.Sum(s => s.PassCount), summaries.Sum(s => s.FailCount), summaries.Sum(s => s.AnomalyCount)),
                (point.Frames, point.Pass, point.Fail, point.Anomalies));
            Assert.Equal(
                (point.Frames, point.Pass, point.Fail, point.Anomalies),
                (minutes.Series.Sum(p => p.Frames), minutes.Series.Sum(p => p.Pass), minutes.Series.Sum(p => p.Fail), minutes.Series.Sum(p => p.Anomalies)));
            Assert.Equal(summaries.Select(s => s.WindowStartUtc.ToUnixTimeSeconds() / 60).Distinct().Count(), minutes.Series.Count(p => p.Frames > 0 || p.Pass > 0 || p.Fail > 0));
            Assert.Equal((minutes.Totals.Frames, minutes.Totals.Pass, minutes.Totals.Fail), (hour.Totals.Frames, hour.Totals.Pass, hour.Totals.Fail));
            Assert.Equal(summaries.Sum(s => s.ClassCounts["Bumps"]), minutes.ClassCounts.GetValueOrDefault("Bumps"));
            Assert.Equal(minutes.ClassCounts.GetValueOrDefault("Bumps"), hour.ClassCounts.GetValueOrDefault("Bumps"));
        }, iter: 12, threads: 1);
    }

    private static async Task<MetricsResponse> Metrics(HubHarness hub, string company, string bucket) =>
        (await hub.Admin.GetFromJsonAsync<MetricsResponse>(string.Create(CultureInfo.InvariantCulture, $"/api/v1/companies/{company}/plants/p1/lines/l1/stations/s1/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z&bucket={bucket}")))!;
}
