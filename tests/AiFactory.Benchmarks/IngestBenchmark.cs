using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Influx;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Benchmarks;

/// <summary>
/// Station-window summaries per second accepted by the hub: one replica on SQLite, one on PostgreSQL, two behind
/// nginx on PostgreSQL; p50/p99 per-batch ingest latency; CPU seconds per 10,000 summaries of each process; and,
/// side by side, the same summaries written straight to InfluxDB by the hub's InfluxWriter (InfluxDB.Client points, v1 /write). Needs the servers that
/// `bash deploy/bench.sh` starts (AIFACTORY_TEST_POSTGRES, AIFACTORY_TEST_INFLUXDB, nginx).
/// Each edge reports its own 10 lines of 10 stations, as edges in a plant do; one more PostgreSQL run has every
/// edge report the same 100 stations, the worst case for row locks (all transactions update the same bucket rows).
/// </summary>
internal static class IngestBenchmark
{
    private const int Lines = 10;
    private const int StationsPerLine = 10;

    /// <param name="seconds">Measured seconds per setup (after an 8-s warm-up).</param>
    /// <param name="edges">Edges uploading at once.</param>
    /// <param name="batchSize">Summaries per batch.</param>
    /// <param name="only">One setup (sqlite, postgres, shared, nginx, cluster, influx), or all.</param>
    /// <param name="baselineHub">Another build's aifactory-hub.dll (the stateless hub of main) to run on PostgreSQL first, side by side.</param>
    /// <param name="warmup">Seconds of ingest before the measured seconds: a fresh hub compiles its hot paths to optimised code
    /// (tiered JIT) meanwhile, and under load that takes far longer than on a quiet machine.</param>
    public static async Task<List<Dictionary<string, object>>> RunAsync(double seconds, int edges, int batchSize, string? only = null, string? baselineHub = null, double warmup = 8)
    {
        var rows = new List<Dictionary<string, object>>();
        // Enough distinct batches for every edge to send at 60,000 summaries/s in all through the warm-up and the
        // measurement; a hub faster than that runs out, and its row says so instead of a rate.
        var batches = Math.Max(400, (int)Math.Ceiling((warmup + seconds) * 60_000 / edges / batchSize));
        var bodies = Enumerable.Range(0, edges).Select(e => Bodies($"e{e}", batchSize, batches, shared: false)).ToArray();
        var dir = Directory.CreateTempSubdirectory("aifactory-ingest-bench-").FullName;
        bool Wanted(string setup) => only is null || only == setup;
        if (Wanted("sqlite"))
        {
            rows.Add(await HubRunAsync("1 replica, SQLite", "Sqlite", $"Data Source={Path.Combine(dir, "hub.db")}", 1, bodies, seconds, warmup, batchSize));
        }

        if (PostgresDatabase.Missing is null)
        {
            if (Wanted("postgres") && baselineHub is not null)
            {
                await using var db0 = await PostgresDatabase.CreateAsync();
                rows.Add(await HubRunAsync("1 stateless replica (main), PostgreSQL", "PostgreSql", db0.ConnectionString, 1, bodies, seconds, warmup, batchSize, hubDll: baselineHub));
            }

            if (Wanted("postgres"))
            {
                await using var db1 = await PostgresDatabase.CreateAsync();
                var name = baselineHub is null ? "1 replica, PostgreSQL" : "1 Orleans silo (this build), PostgreSQL";
                rows.Add(await HubRunAsync(name, "PostgreSql", db1.ConnectionString, 1, bodies, seconds, warmup, batchSize));
            }

            if (Wanted("shared"))
            {
                await using var db3 = await PostgresDatabase.CreateAsync();
                var sharedBodies = Enumerable.Range(0, edges).Select(e => Bodies($"e{e}", batchSize, batches, shared: true)).ToArray();
                rows.Add(await HubRunAsync("1 replica, PostgreSQL, every edge on the same 100 stations", "PostgreSql", db3.ConnectionString, 1, sharedBodies, seconds, warmup, batchSize, shared: true));
            }

            if (NginxProxy.Missing is null && Wanted("nginx"))
            {
                await using var db2 = await PostgresDatabase.CreateAsync();
                rows.Add(await HubRunAsync("2 replicas + nginx, PostgreSQL", "PostgreSql", db2.ConnectionString, 2, bodies, seconds, warmup, batchSize));
            }

            if (NginxProxy.Missing is null && Wanted("cluster"))
            {
                // One Orleans cluster: an edge's grain lives on one silo, so two requests in three cross to another silo.
                await using var db4 = await PostgresDatabase.CreateAsync();
                rows.Add(await HubRunAsync("3 Orleans silos (one cluster) + nginx, PostgreSQL", "PostgreSql", db4.ConnectionString, 3, bodies, seconds, warmup, batchSize,
                    clusterArgs: ["--Hub:Silo:Clustering=AdoNet", "--Hub:Silo:ClusterId=bench-" + Guid.NewGuid().ToString("N")[..8]]));
            }
        }
        else
        {
            Console.WriteLine($"PostgreSQL runs skipped: {PostgresDatabase.Missing}");
        }

        var influx = Environment.GetEnvironmentVariable("AIFACTORY_TEST_INFLUXDB");
        if (influx is not null && Wanted("influx"))
        {
            rows.Add(await InfluxRunAsync(influx, edges, batchSize, seconds));
        }

        return rows;
    }

    private static async Task<Dictionary<string, object>> HubRunAsync(
        string name, string provider, string connection, int replicas, byte[][][] bodies, double seconds, double warmup, int batchSize, bool shared = false, string? hubDll = null, string[]? clusterArgs = null)
    {
        var adminKey = ApiKey.Generate().Key;
        var hubs = new List<HubProcess>();
        NginxProxy? nginx = null;
        try
        {
            for (var r = 0; r < replicas; r++)
            {
                // The benchmark drives each edge key as fast as the hub applies: it measures ingest, not the per-key limiter.
                hubs.Add(await HubProcess.StartAsync(
                    hubDll ?? Path.Combine(AppContext.BaseDirectory, "aifactory-hub.dll"), provider, connection, adminKey, ["--Serilog:MinimumLevel:Default=Warning", "--Hub:RateLimit:Enabled=false", .. clusterArgs ?? [], .. (Environment.GetEnvironmentVariable("AIFACTORY_BENCH_HUB_ARGS") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)]));
            }

            nginx = replicas > 1 ? await NginxProxy.StartAsync(hubs.Select(h => h.Port).ToList()) : null;
            var address = nginx?.Address ?? hubs[0].Address;
            var keys = await SetupAsync(address, adminKey, bodies.Length, shared);
            var hubPids = hubs.Select(h => h.ProcessId!.Value).ToList();
            var rssBefore = ProcessMemory.ResidentMiB(hubPids);
            var load = LoadAverage.OneMinute();
            var nginxPids = nginx is null ? [] : ProcessCpu.Descendants([nginx.ProcessId]);
            (long Summaries, Percentiles Latencies, double Seconds) driven;
            (Dictionary<int, double> Hub, Dictionary<int, double> Pg, Dictionary<int, double> Nginx) cpu0;
            var next = new int[keys.Length];
            try
            {
                // A freshly started hub still compiles its hot paths to optimised code (tiered JIT) for a while:
                // warm it up first, as a hub that has been running would be, then measure from the next batch on.
                await DriveAsync(address, keys, bodies, warmup, batchSize, next);
                cpu0 = (Hub: ProcessCpu.Snapshot(hubPids), Pg: ProcessCpu.Snapshot(OwnServer("postgresql/data", "postgres:")), Nginx: ProcessCpu.Snapshot(nginxPids));
                driven = await DriveAsync(address, keys, bodies, seconds, batchSize, next);
            }
            catch (InvalidOperationException)
            {
                Console.WriteLine(string.Join("\n", hubs.Select(h => h.Output)));
                throw;
            }

            var (summaries, latencies, elapsed) = driven;
            if (next.Any(n => n >= bodies[0].Length))
            {
                throw new InvalidOperationException($"{name}: the edges ran out of prepared batches ({bodies[0].Length} each) before the time was up; "
                    + "the hub ingests faster than the benchmark prepared for: shorten --warmup/--seconds or prepare more");
            }

            var cpu1 = (Hub: ProcessCpu.Since(cpu0.Hub, hubPids), Pg: ProcessCpu.Since(cpu0.Pg, OwnServer("postgresql/data", "postgres:")), Nginx: ProcessCpu.Since(cpu0.Nginx, nginxPids));
            var per10K = 10_000.0 / Math.Max(1, summaries);
            var rss = ProcessMemory.ResidentMiB(hubPids);
            var perStations = replicas == 1 && !shared ? (object)await StationMemoryProbe.MiBPer1000Async(address, adminKey, hubPids) : "n/a";
            return new Dictionary<string, object>
            {
                ["setup"] = name,
                ["summaries_per_s"] = Math.Round(summaries / elapsed),
                ["batch_p50_ms"] = Math.Round(latencies.At(0.50) / 1000, 1),
                ["batch_p99_ms"] = Math.Round(latencies.At(0.99) / 1000, 1),
                ["hub_cpu_s_per_10k"] = Math.Round(cpu1.Hub * per10K, 2),
                ["postgres_cpu_s_per_10k"] = Math.Round(cpu1.Pg * per10K, 2),
                ["nginx_cpu_s_per_10k"] = Math.Round(cpu1.Nginx * per10K, 2),
                ["hub_rss_mib_before_after"] = $"{rssBefore:0} / {rss:0}",
                ["hub_rss_mib_per_1000_stations_woken"] = perStations,
                ["load_1m_before_after"] = $"{load:0.0} / {LoadAverage.OneMinute():0.0}",
            };
        }
        finally
        {
            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }

            foreach (var h in hubs)
            {
                await h.DisposeAsync();
            }
        }
    }

    /// <summary>Each edge posts its next bodies (from <paramref name="next"/>, which moves on) until the time is up.</summary>
    private static async Task<(long Summaries, Percentiles Latencies, double Seconds)> DriveAsync(
        Uri address, string[] keys, byte[][][] bodies, double seconds, int batchSize, int[] next)
    {
        var latencies = new Percentiles(100_000);
        long summaries = 0;
        var stopwatch = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(keys.Select(async (key, e) =>
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var mine = new Percentiles(10_000);
            for (; next[e] < bodies[e].Length && stopwatch.Elapsed < until; next[e]++)
            {
                var b = next[e];
                using var content = new ByteArrayContent(bodies[e][b]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                content.Headers.ContentEncoding.Add("gzip");
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/api/v1/ingest", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                Interlocked.Add(ref summaries, batchSize);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        return (summaries, latencies, stopwatch.Elapsed.TotalSeconds);
    }

    private static async Task<Dictionary<string, object>> InfluxRunAsync(string url, int writers, int batchSize, double seconds)
    {
        var options = new InfluxOptions { Url = url, Database = "aif_bench_" + Guid.NewGuid().ToString("N")[..8], BatchSize = 5000 };
        var points = Enumerable.Range(0, writers).Select(e => Summaries($"e{e}", batchSize * 200).Select(s => InfluxForwarder.SummaryPoint($"e{e}", s, InfluxDB.Client.Api.Domain.WritePrecision.Ms)).ToList()).ToArray();
        var cpu0 = ProcessCpu.Snapshot(OwnServer("influxdb/", "influxd"));
        var latencies = new Percentiles(10_000);
        long written = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(points.Select(async mine =>
        {
            var writer = new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance);
            for (var i = 0; i + 5000 <= mine.Count && stopwatch.Elapsed.TotalSeconds < seconds; i += 5000)
            {
                var start = Stopwatch.GetTimestamp();
                await writer.WriteAsync(mine.GetRange(i, 5000), CancellationToken.None);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }

                Interlocked.Add(ref written, 5000);
            }
        }));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        return new Dictionary<string, object>
        {
            ["setup"] = "InfluxDB 1.x direct, InfluxWriter (InfluxDB.Client points), v1 /write, 5000 points/write",
            ["summaries_per_s"] = Math.Round(written / elapsed),
            ["batch_p50_ms"] = Math.Round(latencies.At(0.50) / 1000, 1),
            ["batch_p99_ms"] = Math.Round(latencies.At(0.99) / 1000, 1),
            ["influxdb_cpu_s_per_10k"] = Math.Round(ProcessCpu.Since(cpu0, OwnServer("influxdb/", "influxd")) * 10_000.0 / Math.Max(1, written), 2),
        };
    }

    /// <summary>
    /// The processes of the server deploy/bench.sh started in $AIFACTORY_TEST_TMP (its folder is on the main process's
    /// command line), not other PostgreSQL/InfluxDB servers on the machine; by program name without that variable.
    /// </summary>
    private static List<int> OwnServer(string folderInTestTmp, string programFallback) =>
        Environment.GetEnvironmentVariable("AIFACTORY_TEST_TMP") is { Length: > 0 } tmp
            ? ProcessCpu.FindTree(Path.Combine(tmp, folderInTestTmp))
            : ProcessCpu.Find(programFallback);

    private static async Task<string[]> SetupAsync(Uri address, string adminKey, int edges, bool shared)
    {
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        await Post(admin, "/api/v1/admin/companies", new { id = "bench" });
        await Post(admin, "/api/v1/admin/companies/bench/plants", new { id = "p1" });
        foreach (var owner in shared ? [null] : Enumerable.Range(0, edges).Select(e => (string?)$"e{e}"))
        {
            for (var l = 0; l < Lines; l++)
            {
                var line = LineId(owner, l);
                await Post(admin, "/api/v1/admin/companies/bench/plants/p1/lines", new { id = line });
                for (var s = 0; s < StationsPerLine; s++)
                {
                    await Post(admin, $"/api/v1/admin/companies/bench/plants/p1/lines/{line}/stations", new { id = $"s{s}" });
                }
            }
        }

        var keys = new string[edges];
        for (var e = 0; e < edges; e++)
        {
            var created = await Post(admin, "/api/v1/admin/companies/bench/plants/p1/edges", new { id = $"e{e}" });
            keys[e] = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }

        return keys;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        return response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode}");
    }

    private static string LineId(string? owner, int line) => owner is null ? $"l{line}" : $"{owner}-l{line}";

    /// <summary>An edge's summaries: each station's 10-second windows in turn, scores and latencies spread over buckets.</summary>
    private static List<StationWindowSummary> Summaries(string edge, int count, bool shared = false)
    {
        var t0 = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var list = new List<StationWindowSummary>(count);
        var random = new Random(edge.GetHashCode(StringComparison.Ordinal));
        for (var i = 0; i < count; i++)
        {
            var station = i % (Lines * StationsPerLine);
            var window = i / (Lines * StationsPerLine);
            var scores = StandardHistograms.NewScore();
            var latency = StandardHistograms.NewLatencyMs();
            for (var f = 0; f < 20; f++)
            {
                scores.Record(random.NextDouble());
                latency.Record(0.2 + (random.NextDouble() * 3));
            }

            list.Add(new StationWindowSummary(
                edge, "bench", "p1", LineId(shared ? null : edge, station / StationsPerLine), $"s{station % StationsPerLine}", "pump-anomaly", "1.0.0",
                t0.AddSeconds(10 * window), t0.AddSeconds((10 * window) + 10), 20, 19, 1,
                new Dictionary<string, long>(), 1, scores.ToData(), latency.ToData(), []));
        }

        return list;
    }

    /// <summary>Pre-built gzip bodies, so the timed loop measures the hub, not the client's serialiser.</summary>
    private static byte[][] Bodies(string edge, int batchSize, int batches, bool shared)
    {
        var summaries = Summaries(edge, batchSize * batches, shared);
        var bodies = new byte[batches][];
        for (var b = 0; b < batches; b++)
        {
            var records = summaries.GetRange(b * batchSize, batchSize).Select((s, i) => new UplinkRecord((b * batchSize) + i + 1, s, null)).ToList();
            var batch = new UplinkBatch(edge, records[0].Sequence, records[^1].Sequence, DateTimeOffset.UtcNow, records, new OutboxReport(0, 0, null, 0, 0, 0));
            using var buffer = new MemoryStream();
            using (var z = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                JsonSerializer.Serialize(z, batch, AiFactoryJsonContext.Default.UplinkBatch);
            }

            bodies[b] = buffer.ToArray();
        }

        return bodies;
    }
}
