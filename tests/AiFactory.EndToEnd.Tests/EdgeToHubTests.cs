using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Edge.Core.Models;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;

namespace AiFactory.EndToEnd.Tests;

/// <summary>
/// The real edge agent uploading to the real hub through a recording tap. Pass = the hub's totals equal what the
/// edge produced (every record it committed and sent, counted once): nothing lost, nothing doubled — across a
/// kill -9 of the edge during an upload, a kill -9 of the hub during a batch and the hub down while the edge works.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EdgeToHubTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-e2e-").FullName;

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task EdgeKilledDuringUpload_HubKilledDuringBatch_AndHubDown_HubTotalsEqualTheEdgesExactly()
    {
        var adminKey = ApiKey.Generate().Key;
        await using var hub = await HubProcess.StartAsync("Sqlite", $"Data Source={Path.Combine(_dir, "hub.db")}", adminKey);
        using var admin = new HttpClient { BaseAddress = hub.Address };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        var edgeKey = await SetupAsync(admin);
        await using var tap = await RecordingTap.StartAsync();
        tap.Hub = hub.Address;
        var config = WriteConfig(tap.Url);

        // 1. kill -9 the edge while its upload is in flight (held at the tap, then applied by the hub: the ack is lost).
        await using (var first = EdgeProcess.Start(config, 120, edgeKey))
        {
            await Eventually.WaitFor(() => tap.Acked >= 3, "three acknowledged uploads");
            var held = tap.HoldNextAsync();
            await held.WaitAsync(TimeSpan.FromSeconds(30));
            await first.KillAsync();
            tap.Release();
        }

        // 2. restart the edge on the same outbox; kill -9 the hub during a batch; keep it down while the edge works.
        await using var second = EdgeProcess.Start(config, 25, edgeKey);
        var ackedBefore = tap.Acked;
        await Eventually.WaitFor(() => tap.Acked >= ackedBefore + 2, "uploads after the edge's restart");
        var heldAgain = tap.HoldNextAsync();
        await heldAgain.WaitAsync(TimeSpan.FromSeconds(30));
        await hub.KillAsync();
        tap.Release();
        await Task.Delay(TimeSpan.FromSeconds(6));
        await hub.StartAgainAsync();

        Assert.Equal(0, await second.WaitAsync(TimeSpan.FromSeconds(90)));
        Assert.True(second.Output.Contains("0 records (0 bytes) wait in the outbox; 0 dropped, 0 refused, 0 dead-lettered, 0 quarantined", StringComparison.Ordinal), second.Output);

        // What the edge produced: every record it sent, once. Sequences leave no hole (nothing lost before sending).
        var sent = tap.Records.OrderBy(p => p.Key).Select(p => p.Value).ToList();
        Assert.Equal(Enumerable.Range(0, sent.Count).Select(i => sent[0].Sequence + i), sent.Select(r => r.Sequence));
        var edges = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/companies/acme/plants/plant-1/edges"))[0];
        Assert.Equal(sent[^1].Sequence, edges.GetProperty("lastSequence").GetInt64());
        Assert.Equal(sent.Count, edges.GetProperty("records").GetInt64());
        Assert.True(edges.GetProperty("duplicateRecords").GetInt64() > 0, "the lost ack made the edge send records again");

        var range = $"?from={DateTimeOffset.UtcNow.AddDays(-1):yyyy-MM-ddTHH:00:00Z}&to={DateTimeOffset.UtcNow.AddDays(2):yyyy-MM-ddTHH:00:00Z}&bucket=hour";
        foreach (var station in new[] { "pump-1", "plate-1" })
        {
            var produced = sent.Select(r => r.Summary).OfType<StationWindowSummary>().Where(s => s.StationId == station).ToList();
            var m = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/companies/acme/plants/plant-1/lines/line-1/stations/{station}/metrics{range}");
            var totals = m.GetProperty("totals");
            Assert.Equal(produced.Sum(s => s.FramesScored), totals.GetProperty("frames").GetInt64());
            Assert.Equal(produced.Sum(s => s.PassCount), totals.GetProperty("pass").GetInt64());
            Assert.Equal(produced.Sum(s => s.FailCount), totals.GetProperty("fail").GetInt64());
            Assert.Equal(produced.Sum(s => s.AnomalyCount), totals.GetProperty("anomalies").GetInt64());
            Assert.True(produced.Sum(s => s.FramesScored) > 0, $"{station} produced frames");
        }

        var events = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/companies/acme/plants/plant-1/lines/line-1/events{range.Replace("&bucket=hour", "&limit=10000", StringComparison.Ordinal)}");
        Assert.Equal(sent.Count(r => r.Event is not null), events.GetArrayLength());
    }

    private static async Task<string> SetupAsync(HttpClient admin)
    {
        foreach (var (path, id) in new[]
        {
            ("/api/v1/admin/companies", "acme"), ("/api/v1/admin/companies/acme/plants", "plant-1"),
            ("/api/v1/admin/companies/acme/plants/plant-1/lines", "line-1"),
            ("/api/v1/admin/companies/acme/plants/plant-1/lines/line-1/stations", "pump-1"),
            ("/api/v1/admin/companies/acme/plants/plant-1/lines/line-1/stations", "plate-1"),
        })
        {
            (await admin.PostAsJsonAsync(path, new { id })).EnsureSuccessStatusCode();
        }

        var created = await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/plants/plant-1/edges", new { id = "e2e-edge" });
        return (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
    }

    private string WriteConfig(Uri hub)
    {
        var plateTags = string.Join(", ", ModelCardReader.Read(RepoPaths.Model("steel-defects")).Input.Features.Select(f => $"{f}: plate-1/{f}"));
        var path = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(path, $$"""
            edge: {id: e2e-edge, company: acme, plant: plant-1}
            uplink:
              hub: {{hub}}
              api_key: ${AIFACTORY_E2E_KEY}
              window_s: 1
              batch_records: 20
              backoff_cap_s: 1
              outbox: {path: {{Path.Combine(_dir, "outbox.db")}}}
            sources:
              - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 100}
              - {name: plate-sim, type: simulator, kind: plate, station: plate-1, speed: 100}
            stations:
              - name: pump-1
                line: line-1
                model: {{RepoPaths.Model("pump-vibration-flow")}}
                tags: {Accelerometer1RMS: pump-1/Accelerometer1RMS, Accelerometer2RMS: pump-1/Accelerometer2RMS, Volume Flow RateRMS: pump-1/Volume Flow RateRMS}
              - name: plate-1
                line: line-1
                model: {{RepoPaths.Model("steel-defects")}}
                trigger: plate-1/part_complete
                tags: {{{plateTags}}}
            """);
        return path;
    }
}
