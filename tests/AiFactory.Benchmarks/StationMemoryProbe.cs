using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Benchmarks;

/// <summary>
/// Memory per 1,000 active stations: after the throughput run, wakes <see cref="Stations"/> more stations (a plant of
/// their own, one summary each, so ingest itself adds little garbage) and reads the hub's resident memory before and
/// after. A stateless hub keeps nothing per station; an Orleans hub keeps each station's live state in its grains.
/// </summary>
internal static class StationMemoryProbe
{
    public const int Stations = 4000;
    private const int StationsPerEdge = 100;
    private const int StationsPerLine = 10;

    public static async Task<double> MiBPer1000Async(Uri address, string adminKey, IReadOnlyList<int> hubPids)
    {
        using var admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        await PostAsync(admin, "/api/v1/admin/companies/bench/plants", new { id = "memory" });
        var edges = Stations / StationsPerEdge;
        var lines = Enumerable.Range(0, Stations / StationsPerLine).Select(l => $"m-l{l}").ToList();
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (line, _) =>
        {
            await PostAsync(admin, "/api/v1/admin/companies/bench/plants/memory/lines", new { id = line });
            for (var s = 0; s < StationsPerLine; s++)
            {
                await PostAsync(admin, $"/api/v1/admin/companies/bench/plants/memory/lines/{line}/stations", new { id = $"s{s}" });
            }
        });
        var keys = new string[edges];
        for (var e = 0; e < edges; e++)
        {
            var created = await PostAsync(admin, "/api/v1/admin/companies/bench/plants/memory/edges", new { id = $"m{e}" });
            keys[e] = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }

        var before = ProcessMemory.ResidentMiB(hubPids);
        await Parallel.ForEachAsync(Enumerable.Range(0, edges), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (e, _) =>
        {
            using var edge = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            edge.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys[e]);
            var response = await edge.PostAsJsonAsync("/api/v1/ingest", Batch($"m{e}", e), AiFactoryJsonContext.Default.UplinkBatch);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        });
        return Math.Round((ProcessMemory.ResidentMiB(hubPids) - before) * 1000 / Stations, 1);
    }

    /// <summary>One summary for each of the edge's 100 stations (10 lines of 10).</summary>
    private static UplinkBatch Batch(string edge, int index)
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);
        var records = new List<UplinkRecord>(StationsPerEdge);
        for (var i = 0; i < StationsPerEdge; i++)
        {
            var line = $"m-l{(index * StationsPerEdge / StationsPerLine) + (i / StationsPerLine)}";
            var scores = StandardHistograms.NewScore();
            var latency = StandardHistograms.NewLatencyMs();
            scores.Record(0.3);
            latency.Record(1.5);
            var summary = new StationWindowSummary(edge, "bench", "memory", line, $"s{i % StationsPerLine}", "pump-anomaly", "1.0.0",
                t0, t0.AddSeconds(10), 1, 1, 0, new Dictionary<string, long>(), 0, scores.ToData(), latency.ToData(), []);
            records.Add(new UplinkRecord(i + 1, summary, null));
        }

        return new UplinkBatch(edge, 1, StationsPerEdge, DateTimeOffset.UtcNow, records, new OutboxReport(0, 0, null, 0, 0, 0));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        return response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
