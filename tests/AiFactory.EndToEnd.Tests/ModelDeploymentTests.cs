using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;

namespace AiFactory.EndToEnd.Tests;

/// <summary>
/// Deployments with the real hub and the real edge agent as processes: a signed package pushed, run in shadow beside
/// production, promoted; a package that does not fit the station refused by the edge; a misbehaving canary rolled
/// back by the hub's rules; an edge that was away converging when it returns, and starting with its last good package
/// when the hub is gone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelDeploymentTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("aifactory-deploy-");
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ValueTask DisposeAsync()
    {
        _key.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task PushShadowPromote_ThenTheHubGone_TheEdgeRunsTheCandidateBesideProductionThenAloneThenFromDisk()
    {
        var (hub, edgeKey, ds) = await StartAsync();
        await using var __ = hub;
        using var _ = ds;
        var package = await PushAsync(ds, Card("9.5.0"));
        var shadow = await DeployAsync(ds, new { packageId = package, targets = new[] { "plant-1/line-1/pump-1" }, strategy = "shadow" });
        var config = WriteConfig(hub.Address);

        await using (var edge = EdgeProcess.Start(config, 120, edgeKey))
        {
            // Same graph and calibration as production: on every frame both scored, the verdicts agree.
            var side = await WaitForAsync(ds, $"/api/v1/companies/acme/deployments/{shadow}", s => s.GetProperty("compared").GetInt64() >= 200, edge);
            Assert.Equal(1.0, side.GetProperty("agreementRate").GetDouble());
            Assert.True(side.GetProperty("candidate").GetProperty("frames").GetInt64() > 0, "the candidate scored frames");
            var station = side.GetProperty("stations")[0];
            Assert.Equal((JsonValueKind.Null, package), (station.GetProperty("production").GetProperty("packageId").ValueKind, station.GetProperty("shadow").GetProperty("packageId").GetString()));

            (await ds.PostAsync($"/api/v1/companies/acme/deployments/{shadow}/promote", null)).EnsureSuccessStatusCode();
            await WaitForAsync(ds, "/api/v1/companies/acme/models/status?model=pump-anomaly", s =>
                s[0].GetProperty("production").GetProperty("packageId").GetString() == package && s[0].GetProperty("production").GetProperty("frames").GetInt64() > 0 && s[0].GetProperty("shadow").ValueKind == JsonValueKind.Null, edge);
            await edge.KillAsync();
        }

        // The hub gone: the edge starts with the package it verified and last ran.
        await hub.KillAsync();
        await using var offline = EdgeProcess.Start(config, 4, edgeKey);
        Assert.Equal(0, await offline.WaitAsync(Patience));
        Assert.Contains("  pump-1: pump-anomaly 9.5.0, calibrating", offline.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisfitRefusedByTheEdge_MisbehavingCanaryRolledBackByTheHub_AndAnEdgeAwayConvergesOnReturn()
    {
        var (hub, edgeKey, ds) = await StartAsync();
        await using var __ = hub;
        using var _ = ds;
        var config = WriteConfig(hub.Address);

        // A card whose features the station does not feed: the hub's checks pass (the graph takes 40 values), the edge's do not.
        var misfit = await PushAsync(ds, Card("9.6.0").Replace("  - Current\n", "  - Motor current\n", StringComparison.Ordinal));
        var first = await DeployAsync(ds, new { packageId = misfit, targets = new[] { "plant-1" }, strategy = "full" });
        await using (var edge = EdgeProcess.Start(config, 120, edgeKey))
        {
            var refused = await WaitForAsync(ds, $"/api/v1/companies/acme/deployments/{first}", s => s.GetProperty("deployment").GetProperty("state").GetString() == "rolled-back", edge);
            Assert.StartsWith(
                "edge 'e2e-edge' station plant-1/line-1/pump-1: load failed: model 'pump-anomaly' 9.6.0 (anomaly, features Accelerometer1RMS, Accelerometer2RMS, Motor current,",
                refused.GetProperty("deployment").GetProperty("reason").GetString(), StringComparison.Ordinal);

            // A threshold below every score: every sample an anomaly. The hub's verdict-rate rule rolls it back.
            var jumpy = await PushAsync(ds, Card("9.7.0").Replace("    factor: 5.0", "    factor: -1.0", StringComparison.Ordinal).Replace("    floor: 0.0", "    floor: -1.0", StringComparison.Ordinal));
            var canary = await DeployAsync(ds, new { packageId = jumpy, targets = new[] { "plant-1/line-1/pump-1" }, strategy = "canary", share = 1.0, rules = new { minFrames = 100, verdictRateMax = 0.3 } });
            var rolled = await WaitForAsync(ds, $"/api/v1/companies/acme/deployments/{canary}", s => s.GetProperty("deployment").GetProperty("state").GetString() == "rolled-back", edge);
            Assert.StartsWith("rule verdict rate: ", rolled.GetProperty("deployment").GetProperty("reason").GetString(), StringComparison.Ordinal);
            await edge.KillAsync();
        }

        // Deployed while the edge is away: it converges as soon as it is back.
        var good = await PushAsync(ds, Card("9.8.0"));
        await DeployAsync(ds, new { packageId = good, targets = new[] { "plant-1" }, strategy = "full" });
        await using var back = EdgeProcess.Start(config, 120, edgeKey);
        await WaitForAsync(ds, "/api/v1/companies/acme/models/status?model=pump-anomaly", s =>
            s[0].GetProperty("production").GetProperty("packageId").GetString() == good && s[0].GetProperty("production").GetProperty("frames").GetInt64() > 0, back);
    }

    private static string Card(string version) =>
        File.ReadAllText(Path.Combine(RepoPaths.Model("pump-anomaly"), "card.yaml")).Replace("version: 2.0.0", $"version: {version}", StringComparison.Ordinal);

    private async Task<string> PushAsync(HttpClient ds, string card)
    {
        var files = ModelPackageFolder.Read(RepoPaths.Model("pump-anomaly"));
        files["card.yaml"] = Encoding.UTF8.GetBytes(card);
        var response = await ds.PostAsJsonAsync("/api/v1/companies/acme/models", ModelPackageFolder.Sign(files, _key));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("packageId").GetString()!;
    }

    private static async Task<string> DeployAsync(HttpClient ds, object body)
    {
        var response = await ds.PostAsJsonAsync("/api/v1/companies/acme/deployments", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls a hub read until the condition holds (or the edge exits, or patience runs out: then fails with what was read last).</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> condition, EdgeProcess edge)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = default(JsonElement);
        while (DateTime.UtcNow < deadline && !edge.HasExited)
        {
            last = await client.GetFromJsonAsync<JsonElement>(path);
            if (last.ValueKind != JsonValueKind.Array || last.GetArrayLength() > 0)
            {
                if (condition(last))
                {
                    return last;
                }
            }

            await Task.Delay(250);
        }

        Assert.Fail($"GET {path} never met the condition; last answer: {last}; edge output:\n{edge.Output}");
        return last;
    }

    /// <summary>A hub on SQLite with acme/plant-1/line-1/pump-1, an edge, and a data scientist whose signing key is registered.</summary>
    private async Task<(HubProcess Hub, string EdgeKey, HttpClient DataScientist)> StartAsync()
    {
        var adminKey = ApiKey.Generate().Key;
        var hub = await HubProcess.StartAsync("Sqlite", $"Data Source={_dir.File("hub.db")}", adminKey);
        using var admin = new HttpClient { BaseAddress = hub.Address };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        foreach (var (path, id) in new[]
        {
            ("/api/v1/admin/companies", "acme"), ("/api/v1/admin/companies/acme/plants", "plant-1"),
            ("/api/v1/admin/companies/acme/plants/plant-1/lines", "line-1"),
            ("/api/v1/admin/companies/acme/plants/plant-1/lines/line-1/stations", "pump-1"),
        })
        {
            (await admin.PostAsJsonAsync(path, new { id })).EnsureSuccessStatusCode();
        }

        var edge = (await (await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/plants/plant-1/edges", new { id = "e2e-edge" })).Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        var user = (await (await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/users", new { name = "Dr. Lee", role = "data-scientist" })).Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        var ds = new HttpClient { BaseAddress = hub.Address };
        ds.DefaultRequestHeaders.Authorization = new("Bearer", user);
        (await ds.PostAsJsonAsync("/api/v1/companies/acme/signing-keys", new { name = "Dr. Lee", publicKey = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()) })).EnsureSuccessStatusCode();
        return (hub, edge, ds);
    }

    private string WriteConfig(Uri hub)
    {
        var path = _dir.File("line.yaml");
        var tags = string.Join(", ", new[] { "Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS" }.Select(f => $"{f}: pump-1/{f}"));
        File.WriteAllText(path, $$"""
            edge: {id: e2e-edge, company: acme, plant: plant-1}
            uplink:
              hub: {{hub}}
              api_key: ${AIFACTORY_E2E_KEY}
              window_s: 1
              backoff_cap_s: 1
              outbox: {path: {{_dir.File("outbox.db")}}}
            sources:
              - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 200}
            stations:
              - name: pump-1
                line: line-1
                model: {{RepoPaths.Model("pump-anomaly")}}
                tags: {{{tags}}}
            """);
        return path;
    }
}
