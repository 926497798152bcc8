using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Influx;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Microsoft.Extensions.DependencyInjection;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Influx;

/// <summary>The hub forwarding applied summaries and events to a real InfluxDB 1.x.</summary>
[Trait("Category", "Integration")]
public sealed class InfluxHubTests
{
    [InfluxFact]
    public async Task AppliedSummaries_ReachInfluxOnce_DuplicatesDoNot()
    {
        var db = "aif_" + Guid.NewGuid().ToString("N")[..10];
        await using var hub = await HubHarness.StartAsync(extra: [$"--Hub:Influx:Url={InfluxFactAttribute.Url}", $"--Hub:Influx:Database={db}"]);
        using var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        var batch = Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", T0, 100, 97, 3), Summary("e1", "acme", "p1", "l1", "s1", T0.AddSeconds(10), 50, 50, 0), Event("acme", "p1", "l1", "s1", T0)]);

        (await edge.PostAsync("/api/v1/ingest", Json(batch))).EnsureSuccessStatusCode();
        (await edge.PostAsync("/api/v1/ingest", Json(batch))).EnsureSuccessStatusCode();

        var forwarder = hub.Services.GetRequiredService<InfluxForwarder>();
        await Eventually.WaitFor(() => forwarder.Written == 3, "3 points written to InfluxDB");
        using var influx = new HttpClient { BaseAddress = new Uri(InfluxFactAttribute.Url!) };
        var answer = await influx.GetStringAsync($"/query?db={db}&q={Uri.EscapeDataString("SELECT sum(frames), sum(fail) FROM station_window WHERE station = 's1'")}");
        var values = JsonDocument.Parse(answer).RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(150, values[1].GetInt64());
        Assert.Equal(3, values[2].GetInt64());
        Assert.Equal(0, forwarder.Dropped);
    }

    [Fact]
    public async Task InfluxDown_DoesNotSlowOrFailIngest()
    {
        var port = FreePort.Next();
        await using var hub = await HubHarness.StartAsync(extra: [$"--Hub:Influx:Url=http://127.0.0.1:{port}", "--Hub:Influx:Database=x", "--Hub:Influx:MaxAttempts=2"]);
        using var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));

        var response = await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", T0, 10, 10, 0)])));

        response.EnsureSuccessStatusCode();
        var forwarder = hub.Services.GetRequiredService<InfluxForwarder>();
        await Eventually.WaitFor(() => forwarder.Failed == 1, "the point given up after 2 attempts");
        var m = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/companies/acme/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z");
        Assert.Equal(10, m.GetProperty("totals").GetProperty("frames").GetInt64());
    }
}
