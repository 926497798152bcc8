using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Uplink.Models;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using AiFactory.Onnx;
using AiFactory.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Benchmarks;

/// <summary>
/// Time from a deployment change to every one of N simulated edges running the new model: each edge long-polls its
/// desired state, downloads the package into its own cache (hash and signature verified) and warms it up (ONNX Runtime
/// loads it and it reproduces its reference outputs), as the agent's ModelDeployer does before its swap. Measured from
/// cold (a full deployment: every edge downloads) and for a promote after shadow (the package is on disk already).
/// </summary>
internal static class PromoteBenchmark
{
    public static async Task<List<Dictionary<string, object>>> RunAsync(string models, int edges)
    {
        using var dir = new TempDirectory("aifactory-bench-promote-");
        var adminKey = ApiKey.Generate().Key;
        await using var app = HubApp.Build([
            "--urls=http://127.0.0.1:0", "--Hub:Database:Provider=Sqlite", $"--Hub:Database:ConnectionString=Data Source={dir.File("hub.db")}",
            $"--Hub:BootstrapAdminKey={adminKey}", "--Serilog:MinimumLevel:Default=Warning", "--Hub:RateLimit:Burst=100000", "--Hub:RateLimit:RequestsPerMinute=1000000"]);
        await app.StartAsync();
        var hub = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var admin = Client(hub, adminKey);
        foreach (var (path, id) in new[] { ("/api/v1/admin/companies", "acme"), ("/api/v1/admin/companies/acme/plants", "p1"), ("/api/v1/admin/companies/acme/plants/p1/lines", "l1") })
        {
            (await admin.PostAsJsonAsync(path, new { id })).EnsureSuccessStatusCode();
        }

        var keys = new List<string>();
        for (var i = 0; i < edges; i++)
        {
            (await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/plants/p1/lines/l1/stations", new { id = $"s{i}" })).EnsureSuccessStatusCode();
            var created = await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/plants/p1/edges", new { id = $"e{i}" });
            keys.Add((await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key);
        }

        using var ds = Client(hub, (await (await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/users", new { name = "ds", role = "data-scientist" })).Content.ReadFromJsonAsync<CreatedKey>())!.Key);
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (await ds.PostAsJsonAsync("/api/v1/companies/acme/signing-keys", new { name = "ds", publicKey = Convert.ToBase64String(signing.ExportSubjectPublicKeyInfo()) })).EnsureSuccessStatusCode();

        using var environment = OnnxEnvironment.Create("aifactory-bench");
        using var stop = new CancellationTokenSource();
        var fleet = Enumerable.Range(0, edges).Select(i => new SimulatedEdge(hub, keys[i], $"e{i}", $"s{i}", dir.File($"cache-{i}"), environment)).ToList();
        var polling = fleet.Select(e => e.RunAsync(stop.Token)).ToList();

        var rows = new List<Dictionary<string, object>>();
        var v1 = await PushAsync(ds, signing, models, "9.0.1");
        rows.Add(await MeasureAsync($"full deployment to {edges} edges from cold (download, verify, warm up)", fleet, e => e.Production == v1,
            () => ds.PostAsJsonAsync("/api/v1/companies/acme/deployments", new { packageId = v1, targets = new[] { "p1" }, strategy = "full" })));
        var v2 = await PushAsync(ds, signing, models, "9.0.2");
        var shadow = await ds.PostAsJsonAsync("/api/v1/companies/acme/deployments", new { packageId = v2, targets = new[] { "p1" }, strategy = "shadow" });
        var shadowId = (await shadow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (fleet.Any(e => e.Shadow != v2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        rows.Add(await MeasureAsync($"promote after shadow to {edges} edges (package on disk: verify, warm up)", fleet, e => e.Production == v2,
            () => ds.PostAsync($"/api/v1/companies/acme/deployments/{shadowId}/promote", null)));
        await stop.CancelAsync();
        await Task.WhenAll(polling.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
        await app.StopAsync();
        return rows;
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(string what, List<SimulatedEdge> fleet, Func<SimulatedEdge, bool> done, Func<Task<HttpResponseMessage>> change)
    {
        var load = LoadAverage.OneMinute();
        foreach (var e in fleet)
        {
            e.Mark(done);
        }

        var clock = Stopwatch.StartNew();
        (await change()).EnsureSuccessStatusCode();
        var deadline = TimeSpan.FromMinutes(5);
        while (fleet.Any(e => e.ReadyAt is null) && clock.Elapsed < deadline)
        {
            await Task.Delay(10);
        }

        var times = fleet.Select(e => e.ReadyAt?.TotalMilliseconds ?? double.NaN).Order().ToList();
        return new Dictionary<string, object>
        {
            ["what"] = what, ["edges"] = fleet.Count, ["all_running_ms"] = Math.Round(times[^1], 1), ["median_ms"] = Math.Round(times[times.Count / 2], 1),
            ["first_ms"] = Math.Round(times[0], 1), ["load_average_1m_before"] = load, ["load_average_1m_after"] = LoadAverage.OneMinute(),
        };
    }

    private static async Task<string> PushAsync(HttpClient ds, ECDsa key, string models, string version)
    {
        var files = ModelPackageFolder.Read(Path.Combine(models, "pump-anomaly"));
        files["card.yaml"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["card.yaml"]).Replace("version: 2.0.0", $"version: {version}", StringComparison.Ordinal));
        var response = await ds.PostAsJsonAsync("/api/v1/companies/acme/models", ModelPackageFolder.Sign(files, key));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("packageId").GetString()!;
    }

    private static HttpClient Client(Uri hub, string key)
    {
        var client = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>One edge as the agent's deployer behaves: poll, download and verify, warm up; what it runs, and when it got there.</summary>
    private sealed class SimulatedEdge(Uri hub, string key, string edgeId, string station, string cache, OnnxEnvironment environment)
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
        private readonly PackageCache _cache = new(cache);
        private Stopwatch? _since;
        private Func<SimulatedEdge, bool>? _done;

        public string? Production { get; private set; }

        public string? Shadow { get; private set; }

        public TimeSpan? ReadyAt { get; private set; }

        public void Mark(Func<SimulatedEdge, bool> done)
        {
            ReadyAt = null;
            _done = done;
            _since = Stopwatch.StartNew();
        }

        public async Task RunAsync(CancellationToken ct)
        {
            var client = new ModelHubClient(_http, hub, key, edgeId, "acme");
            string? etag = null;
            while (!ct.IsCancellationRequested)
            {
                var desired = await client.DesiredAsync(etag, TimeSpan.FromSeconds(20), ct);
                etag = desired.Etag;
                var mine = desired.Stations.FirstOrDefault(s => s.StationId == station);
                Production = mine?.Production is { } p ? await ReadyAsync(client, p, ct) : null;
                Shadow = mine?.Shadow is { } s ? await ReadyAsync(client, s, ct) : null;
                if (_done is not null && _done(this) && ReadyAt is null)
                {
                    ReadyAt = _since!.Elapsed;
                }
            }
        }

        private async Task<string> ReadyAsync(ModelHubClient client, ModelPackageRef package, CancellationToken ct)
        {
            var folder = await _cache.EnsureAsync(package, (file, c) => client.FileAsync(package.PackageId, file, c), ct);
            await using var loaded = ModelPackage.Load(folder, environment, new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 0 });
            var problems = await ReferenceCheck.RunAsync(loaded, await File.ReadAllBytesAsync(Path.Combine(folder, "reference.json"), ct), "reference.json", ct);
            return problems.Count == 0 ? package.PackageId : throw new InvalidOperationException(string.Join("; ", problems));
        }
    }
}
