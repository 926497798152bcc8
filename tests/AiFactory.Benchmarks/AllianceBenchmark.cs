using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiFactory.Hub.Alliance;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Benchmarks;

/// <summary>
/// Alliance benchmark queries over N companies × 10 lines × D days of hour buckets (1,000 × 10 × 30: 7.2 million
/// station-bucket rows), through the hub's HTTP API on SQLite (or PostgreSQL with AIFACTORY_TEST_POSTGRES and
/// <c>--setup postgres</c>): latency p50/p95/p99 per kind of query, and, in process, what the policy checks cost per
/// query (loading the policies in force and checking every line). The data are written straight into the tables
/// (as ingest and the roll-up would leave them); the roll-up itself is timed.
/// </summary>
internal static class AllianceBenchmark
{
    private static readonly string[] Processes = ["welding", "cell-formation", "thermal-assembly", "rolling", "pumps"];

    public static async Task<int> RunAsync(int companies, int days, int queries, string? setup, string? output)
    {
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";
        var dir = Directory.CreateTempSubdirectory("aifactory-alliance-bench-").FullName;
        PostgresDbHolder? pg = setup == "postgres" ? new PostgresDbHolder(await AiFactory.Testing.PostgresDatabase.CreateAsync()) : null;
        var provider = pg is null ? "Sqlite" : "PostgreSql";
        var connection = pg?.Db.ConnectionString ?? $"Data Source={Path.Combine(dir, "hub.db")}";
        var adminKey = ApiKey.Generate().Key;
        await using var app = HubApp.Build([
            "--urls=http://127.0.0.1:0", $"--Hub:Database:Provider={provider}", $"--Hub:Database:ConnectionString={connection}", $"--Hub:BootstrapAdminKey={adminKey}",
            "--Serilog:MinimumLevel:Default=Warning", "--Hub:Alliance:RollupInterval=00:00:00", "--Hub:RateLimit:Burst=100000", "--Hub:RateLimit:RequestsPerMinute=1000000"]);
        await app.StartAsync();
        var db = app.Services.GetRequiredService<HubDatabase>();
        var day0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Console.WriteLine($"machine: {machine}; {provider}; {companies} companies × 10 lines × {days} days of hour buckets; load average {LoadAverage.OneMinute()}");

        var sw = Stopwatch.StartNew();
        await SeedTenancyAsync(db, companies);
        var tenancyS = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var bucketRows = await SeedBucketsAsync(db, day0, days);
        var bucketsS = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var lineDays = await app.Services.GetRequiredService<LineDayRollup>().RollAsync(day0, day0.AddDays(days), CancellationToken.None);
        var rollupS = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"seeded tenancy and policies in {tenancyS:F1} s, {bucketRows:N0} hour buckets in {bucketsS:F1} s; roll-up to {lineDays:N0} line-days in {rollupS:F1} s");

        var tenancy = app.Services.GetRequiredService<TenancyStore>();
        var analyst = await tenancy.CreateUserKeyAsync(AuditActor.Cli(), "c0000", HubRole.AllianceAnalyst, "bench", null, CancellationToken.None);
        var engineer = await tenancy.CreateUserKeyAsync(AuditActor.Cli(), "c0000", HubRole.PlantEngineer, "bench", null, CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        var period = $"from={day0:yyyy-MM-dd}&to={day0.AddDays(days):yyyy-MM-dd}";
        var rows = new List<Dictionary<string, object>>();
        async Task TimeAsync(string name, string key, Func<int, string> path)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            for (var i = 0; i < 3; i++)
            {
                (await http.GetAsync(path(i))).EnsureSuccessStatusCode();
            }

            var latencies = new Percentiles(queries);
            var load = LoadAverage.OneMinute();
            for (var i = 0; i < queries; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var response = await http.GetAsync(path(i));
                _ = await response.Content.ReadAsStringAsync();
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds * 1000);
                response.EnsureSuccessStatusCode();
            }

            rows.Add(new Dictionary<string, object>
            {
                ["query"] = name, ["n"] = queries, ["p50_ms"] = Math.Round(latencies.At(0.50) / 1000, 1), ["p95_ms"] = Math.Round(latencies.At(0.95) / 1000, 1),
                ["p99_ms"] = Math.Round(latencies.At(0.99) / 1000, 1), ["max_ms"] = Math.Round(latencies.At(1.0) / 1000, 1), ["load_1min"] = Math.Round((load + LoadAverage.OneMinute()) / 2, 2),
            });
            Console.WriteLine(string.Join("  ", rows[^1].Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")));
        }

        string P(int i) => Processes[i % Processes.Length];
        await TimeAsync("first-pass yield, total", analyst.Key, i => $"/api/v1/alliances/bench/benchmarks?process={P(i)}&metric=first-pass-yield&{period}");
        await TimeAsync("defect rate, by product family", analyst.Key, i => $"/api/v1/alliances/bench/benchmarks?process={P(i)}&metric=defect-rate&by=family&{period}");
        await TimeAsync("model latency p95 (histograms), total", analyst.Key, i => $"/api/v1/alliances/bench/benchmarks?process={P(i)}&metric=model-latency&{period}");
        await TimeAsync("first-pass yield, differential privacy (ledger write)", analyst.Key, i => $"/api/v1/alliances/bench-dp/benchmarks?process={P(i)}&metric=first-pass-yield&epsilon=0.01&{period}");
        await TimeAsync("standing report, 6 metrics (HTML)", engineer.Key, i => $"/api/v1/alliances/bench/companies/c0000/standing/report?process=welding&{period}");

        // In process: the phases of one query, the policy checks among them.
        var settings = (await app.Services.GetRequiredService<AllianceStore>().FindAsync("bench", CancellationToken.None))!;
        var query = app.Services.GetRequiredService<BenchmarkQuery>();
        var phases = new List<BenchmarkTimings>();
        for (var i = 0; i < queries; i++)
        {
            var request = new BenchmarkRequest(settings, P(i), MetricFamily.FirstPassYield, day0, day0.AddDays(days), true, null, analyst.KeyId, "c0000");
            phases.Add((await query.RunAsync(request, AuditActor.Cli(), CancellationToken.None)).Timings);
        }

        var phaseRow = new Dictionary<string, object>
        {
            ["lines_read_per_query"] = phases[0].LinesRead, ["policies_in_force"] = phases[0].PoliciesInForce, ["lines_allowed"] = phases[0].LinesAllowed,
            ["read_ms_p50"] = Medians.Of(phases.Select(p => p.ReadMs)), ["policy_load_ms_p50"] = Medians.Of(phases.Select(p => p.PolicyLoadMs)),
            ["policy_check_ms_p50"] = Medians.Of(phases.Select(p => p.PolicyCheckMs)), ["decide_and_record_ms_p50"] = Medians.Of(phases.Select(p => p.DecideAndRecordMs)),
            ["load_1min"] = LoadAverage.OneMinute(),
        };
        Console.WriteLine(string.Join("  ", phaseRow.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")));
        if (output is not null)
        {
            var report = new Dictionary<string, object>
            {
                ["machine"] = machine, ["date"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture), ["database"] = provider,
                ["companies"] = companies, ["lines_per_company"] = 10, ["days"] = days, ["hour_buckets"] = bucketRows, ["line_days"] = lineDays,
                ["seed_buckets_s"] = Math.Round(bucketsS, 1), ["rollup_s"] = Math.Round(rollupS, 1), ["queries"] = rows, ["phases"] = phaseRow,
            };
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {output}");
        }

        await app.StopAsync();
        if (pg is not null)
        {
            await pg.Db.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    /// <summary>Companies c0000…, plant p1, lines l0–l9 with one station each; line l tagged with process type l mod 5 and one of four families; alliances 'bench' (k 5) and 'bench-dp' (Laplace, ε budget 10,000) of every company; policies: every company shares every metric with the alliance except every tenth, which keeps throughput private, and every seventh keeps its line l0 private.</summary>
    private static async Task SeedTenancyAsync(HubDatabase db, int companies)
    {
        var ids = Enumerable.Range(0, companies).Select(i => $"c{i:D4}").ToList();
        var lines = ids.SelectMany((c, i) => Enumerable.Range(0, 10).Select(l => new { c, l = $"l{l}", lp = Processes[l % 5], f = $"f{(l + i) % 4}" })).ToList();
        var expires = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeMilliseconds();
        await db.WriteAsync(
            async (c, tx) =>
            {
                await c.ExecuteAsync("INSERT INTO companies (id, name, created_utc) VALUES (@id, @id, 0)", ids.Select(id => new { id }), tx);
                await c.ExecuteAsync("INSERT INTO plants (company_id, id, name, created_utc) VALUES (@id, 'p1', 'p1', 0)", ids.Select(id => new { id }), tx);
                await c.ExecuteAsync("INSERT INTO lines (company_id, plant_id, id, name, created_utc) VALUES (@c, 'p1', @l, @l, 0)", lines, tx);
                await c.ExecuteAsync("INSERT INTO stations (company_id, plant_id, line_id, id, name, created_utc) VALUES (@c, 'p1', @l, 's1', 's1', 0)", lines, tx);
                await c.ExecuteAsync("INSERT INTO process_types (id, name, created_utc) VALUES (@id, @id, 0)", Processes.Select(id => new { id }), tx);
                await c.ExecuteAsync("INSERT INTO line_processes (company_id, plant_id, line_id, process_type, product_family, updated_utc) VALUES (@c, 'p1', @l, @lp, @f, 0)", lines, tx);
                await c.ExecuteAsync(
                    """
                    INSERT INTO alliances (id, name, min_companies, max_share, dp_enabled, epsilon_budget, epsilon_per_query, created_utc, updated_utc)
                    VALUES ('bench', 'bench', 5, 0.25, 0, 1, 0.1, 0, 0), ('bench-dp', 'bench-dp', 5, 0.25, 1, 10000, 0.01, 0, 0)
                    """, transaction: tx);
                foreach (var alliance in new[] { "bench", "bench-dp" })
                {
                    await c.ExecuteAsync("INSERT INTO alliance_members (alliance_id, company_id, joined_utc) VALUES (@alliance, @id, 0)", ids.Select(id => new { alliance, id }), tx);
                    var policies = ids.Select((id, i) => (id, i)).SelectMany(x => MetricFamilies.Families.Select(m => new
                    {
                        alliance, id = x.id, m = MetricFamilies.Name(m), plant = string.Empty, line = string.Empty,
                        level = x.i % 10 == 0 && m == MetricFamily.Throughput ? "private" : "alliance-aggregate", expires,
                    }).Concat(x.i % 7 == 0 ? [new { alliance, id = x.id, m = "first-pass-yield", plant = "p1", line = "l0", level = "private", expires }] : []));
                    await c.ExecuteAsync(
                        """
                        INSERT INTO sharing_policies (alliance_id, company_id, metric, plant_id, line_id, level, named_companies, purposes, expires_utc, updated_utc)
                        VALUES (@alliance, @id, @m, @plant, @line, @level, '', 'benchmarking', @expires, 0)
                        """, policies, tx);
                }

                return 0;
            },
            CancellationToken.None);
    }

    /// <summary>One hour bucket per station and hour, one INSERT … SELECT per day; the failures differ by company, line and hour.</summary>
    private static async Task<long> SeedBucketsAsync(HubDatabase db, DateTimeOffset day0, int days)
    {
        var rest = BucketColumns.Score.Skip(1).Concat(BucketColumns.Latency.Where(c => c != "l05")).ToList();
        const string Fail = "((b.base + h.n * 5) % 60 + 1)";
        var sql = $"""
            INSERT INTO station_buckets (company_id, plant_id, line_id, station_id, granularity, bucket_start, model_name, model_version,
                frames, pass_count, fail_count, anomalies, score_count, score_sum, score_min, score_max, {BucketColumns.Score[0]},
                lat_count, lat_sum, lat_min, lat_max, l05, {string.Join(", ", rest)})
            WITH RECURSIVE h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n < 23)
            SELECT s.company_id, s.plant_id, s.line_id, s.id, 3600, @start + (h.n * 3600), 'm', '1',
                3600, 3600 - {Fail}, {Fail}, {Fail} / 3, 3600, 360.0, 0.01, 0.99, 3600, 3600, 7200.0, 1.5, 2.5, 3600, {string.Join(", ", rest.Select(_ => "0"))}
            FROM stations s CROSS JOIN h
            JOIN (SELECT company_id AS vc, id AS vl, (CAST(substr(company_id, 2) AS INTEGER) * 7 + CAST(substr(id, 2) AS INTEGER) * 13) % 97 AS base FROM lines) b
              ON b.vc = s.company_id AND b.vl = s.line_id
            """;
        long rows = 0;
        for (var d = 0; d < days; d++)
        {
            var start = day0.AddDays(d).ToUnixTimeSeconds();
            rows += await db.WriteAsync((c, tx) => c.ExecuteAsync(sql, new { start }, tx, commandTimeout: 3600), CancellationToken.None);
        }

        return rows;
    }

    private sealed record PostgresDbHolder(AiFactory.Testing.PostgresDatabase Db);
}
