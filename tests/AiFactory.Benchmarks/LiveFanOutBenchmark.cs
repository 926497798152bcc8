using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;

namespace AiFactory.Benchmarks;

/// <summary>
/// SSE fan-out: 200 live views open on 20 lines (10 each) of one hub on PostgreSQL while 4 edges upload a batch for
/// one of their 5 lines every 100 ms. For every acknowledged batch and every view of its line: the time from the ack
/// to the first snapshot whose 1-hour frame count includes the batch (0 when the snapshot came before the ack).
/// </summary>
internal static class LiveFanOutBenchmark
{
    private const int Edges = 4;
    private const int LinesPerEdge = 5;
    private const int StationsPerLine = 5;
    private const int ViewsPerLine = 10;
    private const int FramesPerSummary = 20;

    public static async Task<Dictionary<string, object>> RunAsync(double seconds)
    {
        await using var db = await PostgresDatabase.CreateAsync();
        var adminKey = ApiKey.Generate().Key;
        await using var hub = await HubProcess.StartAsync("PostgreSql", db.ConnectionString, adminKey, "--Serilog:MinimumLevel:Default=Warning");
        var keys = await SetupAsync(hub.Address, adminKey);
        var lines = Enumerable.Range(0, Edges * LinesPerEdge).Select(l => $"l{l}").ToList();
        var acks = lines.ToDictionary(l => l, _ => new List<(long Frames, long AckTicks)>());
        var seen = lines.SelectMany(l => Enumerable.Range(0, ViewsPerLine).Select(_ => (Line: l, Snapshots: new List<(long Frames, long Ticks)>()))).ToList();
        using var stop = new CancellationTokenSource();
        var viewsOpen = new CountdownEvent(seen.Count);
        var views = seen.Select(v => Task.Run(() => WatchAsync(hub.Address, adminKey, v.Line, v.Snapshots, viewsOpen, stop.Token))).ToList();
        if (!viewsOpen.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"only {seen.Count - viewsOpen.CurrentCount} of {seen.Count} live views opened in 60 s");
        }

        var hubPid = hub.ProcessId!.Value;
        var cpu0 = ProcessCpu.Snapshot([hubPid]);
        var load = LoadAverage.OneMinute();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(keys.Select((key, e) => UploadAsync(hub.Address, key, e, acks, seconds)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = ProcessCpu.Since(cpu0, [hubPid]);

        // Let the last pushes arrive (stages pass changes on every Hub:Live:PushInterval, views get them every ViewInterval), then close.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(views);
        var latencies = new Percentiles(100_000);
        var missed = 0;
        foreach (var (line, snapshots) in seen)
        {
            lock (snapshots)
            {
                foreach (var (frames, ack) in acks[line])
                {
                    var first = snapshots.FindIndex(s => s.Frames >= frames);
                    if (first < 0)
                    {
                        missed++;
                        continue;
                    }

                    latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(ack, snapshots[first].Ticks).TotalMicroseconds));
                }
            }
        }

        var batches = acks.Values.Sum(a => a.Count);
        return new Dictionary<string, object>
        {
            ["setup"] = $"{seen.Count} live views on {lines.Count} lines, {Edges} edges, 1 silo, PostgreSQL",
            ["batches_per_s"] = Math.Round(batches / elapsed, 1),
            ["snapshots_received_per_s"] = Math.Round(seen.Sum(v => v.Snapshots.Count) / (elapsed + 3), 1),
            ["ack_to_view_p50_ms"] = Math.Round(latencies.At(0.50) / 1000, 1),
            ["ack_to_view_p99_ms"] = Math.Round(latencies.At(0.99) / 1000, 1),
            ["ack_to_view_max_ms"] = Math.Round(latencies.At(1.0) / 1000, 1),
            ["batch_view_pairs_never_seen"] = missed,
            ["hub_cpu_s_per_s"] = Math.Round(cpu / elapsed, 2),
            ["load_1m_before_after"] = $"{load:0.0} / {LoadAverage.OneMinute():0.0}",
        };
    }

    private static async Task WatchAsync(Uri hub, string key, string line, List<(long Frames, long Ticks)> snapshots, CountdownEvent open, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = hub, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.GetAsync($"/api/v1/companies/bench/plants/p1/lines/{line}/live", HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var first = true;
        try
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
            {
                var ticks = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(item.Data);
                var frames = json.RootElement.GetProperty("kpis").GetProperty("oneHour").GetProperty("frames").GetInt64();
                lock (snapshots)
                {
                    snapshots.Add((frames, ticks));
                }

                if (first)
                {
                    first = false;
                    open.Signal();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One edge: every 100 ms a batch of one summary per station of its next line, until the time is up.</summary>
    private static async Task UploadAsync(Uri hub, string key, int edge, Dictionary<string, List<(long Frames, long AckTicks)>> acks, double seconds)
    {
        using var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var totals = new long[LinesPerEdge];
        long sequence = 0;
        var until = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var b = 0; until.Elapsed.TotalSeconds < seconds; b++)
        {
            await tick.WaitForNextTickAsync();
            var local = b % LinesPerEdge;
            var line = $"l{(edge * LinesPerEdge) + local}";
            var records = new List<UplinkRecord>(StationsPerLine);
            var start = DateTimeOffset.UtcNow.AddSeconds(-10);
            for (var s = 0; s < StationsPerLine; s++)
            {
                var scores = StandardHistograms.NewScore();
                var latency = StandardHistograms.NewLatencyMs();
                for (var f = 0; f < FramesPerSummary; f++)
                {
                    scores.Record(0.3);
                    latency.Record(1.5);
                }

                records.Add(new UplinkRecord(++sequence, new StationWindowSummary($"e{edge}", "bench", "p1", line, $"s{s}", "pump-anomaly", "1.0.0",
                    start, start.AddSeconds(10), FramesPerSummary, FramesPerSummary, 0, new Dictionary<string, long>(), 0, scores.ToData(), latency.ToData(), []), null));
            }

            var batch = new UplinkBatch($"e{edge}", records[0].Sequence, sequence, DateTimeOffset.UtcNow, records, new OutboxReport(0, 0, null, 0, 0, 0));
            using var response = await http.PostAsJsonAsync("/api/v1/ingest", batch, AiFactoryJsonContext.Default.UplinkBatch);
            var acked = Stopwatch.GetTimestamp();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            totals[local] += StationsPerLine * FramesPerSummary;
            lock (acks[line])
            {
                acks[line].Add((totals[local], acked));
            }
        }
    }

    private static async Task<string[]> SetupAsync(Uri hub, string adminKey)
    {
        using var admin = new HttpClient { BaseAddress = hub };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        await PostAsync(admin, "/api/v1/admin/companies", new { id = "bench" });
        await PostAsync(admin, "/api/v1/admin/companies/bench/plants", new { id = "p1" });
        for (var l = 0; l < Edges * LinesPerEdge; l++)
        {
            await PostAsync(admin, "/api/v1/admin/companies/bench/plants/p1/lines", new { id = $"l{l}" });
            for (var s = 0; s < StationsPerLine; s++)
            {
                await PostAsync(admin, $"/api/v1/admin/companies/bench/plants/p1/lines/l{l}/stations", new { id = $"s{s}" });
            }
        }

        var keys = new string[Edges];
        for (var e = 0; e < Edges; e++)
        {
            var created = await PostAsync(admin, "/api/v1/admin/companies/bench/plants/p1/edges", new { id = $"e{e}" });
            keys[e] = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }

        return keys;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        return response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
