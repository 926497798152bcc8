using System.Text.RegularExpressions;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>`run --config` with an uplink section: the simulated line's verdicts reach a hub on loopback, and its totals are the agent's.</summary>
[Trait("Category", "Integration")]
public sealed partial class RunUplinkTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-run-uplink-").FullName;
    private FakeIngestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await FakeIngestHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Run_WithUplink_HubTotalsEqualTheAgentsTotals()
    {
        Environment.SetEnvironmentVariable("AIFACTORY_RUN_UPLINK_TEST_KEY", _hub.Key);
        var config = Path.Combine(_dir, "line.yaml");
        var plateTags = string.Join(", ", Core.Models.ModelCardReader.Read(RepoPaths.Model("steel-defects")).Input.Features.Select(f => $"{f}: plate-1/{f}"));
        File.WriteAllText(config, $$"""
            {{UplinkLineYaml.EdgeAndUplink("edge-run", _hub.Url, "AIFACTORY_RUN_UPLINK_TEST_KEY")}}
            sources:
            {{UplinkLineYaml.PumpSource}}
              - {name: plate-sim, type: simulator, kind: plate, station: plate-1, speed: 100}
            stations:
            {{UplinkLineYaml.PumpStation()}}
              - name: plate-1
                line: line-2
                raw_upload: true
                model: {{RepoPaths.Model("steel-defects")}}
                trigger: plate-1/part_complete
                tags: {{{plateTags}}}
            """);

        var (exit, output) = await CliRunner.RunAsync("run", "--config", config, "--duration", "7");

        Assert.Equal(0, exit);
        Assert.Contains($"uplink: edge-run (acme/plant-1) → {_hub.Url}, 1 s windows, outbox {Path.Combine(_dir, "outbox.db")} (0 waiting, DropOldest when full)", output, StringComparison.Ordinal);
        var anomalous = long.Parse(Anomalous().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var parts = long.Parse(Parts().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var records = _hub.Applied.Values.ToArray();
        var summaries = records.Where(r => r.Summary is not null).Select(r => r.Summary!).ToArray();
        var events = records.Where(r => r.Event is not null).Select(r => r.Event!).ToArray();
        // The pump's first simulated fault starts 520 samples in (120 after calibration): speed 400 reaches it.
        Assert.True(anomalous > 0, output);
        Assert.Equal(anomalous, summaries.Where(s => s.StationId == "pump-1").Sum(s => s.AnomalyCount));
        Assert.Equal(anomalous, events.Count(e => e.StationId == "pump-1" && e.Kind == "anomaly"));
        Assert.Equal(parts, summaries.Where(s => s.StationId == "plate-1").Sum(s => s.FramesScored));
        Assert.Equal(parts, summaries.Where(s => s.StationId == "plate-1").Sum(s => s.ClassCounts.Values.Sum()));
        Assert.Equal(parts, events.Count(e => e is { StationId: "plate-1", Kind: "defect", LineId: "line-2" }));
        Assert.All(summaries, s => Assert.Equal(("edge-run", "acme", "plant-1", TimeSpan.FromSeconds(1)), (s.EdgeId, s.CompanyId, s.PlantId, s.WindowEndUtc - s.WindowStartUtc)));
        Assert.Equal(0, _hub.Duplicates);

        // plate-1 opted in to raw upload: every part it scored went up as a raw row; pump-1 did not, so none of its values left.
        var raw = records.Where(r => r.Raw is not null).Select(r => r.Raw!).ToArray();
        Assert.All(raw, c => Assert.Equal(("plate-1", "line-2"), (c.StationId, c.LineId)));
        Assert.Equal(parts, raw.Sum(c => c.Rows.Count));
        Assert.All(raw, c => Assert.All(c.Tags, t => Assert.StartsWith("plate-1/", t, StringComparison.Ordinal)));
        Assert.Matches($@"uplink: \d+ window summaries, {events.Length} events and {raw.Length} raw chunks committed, {records.Length} acknowledged by the hub; 0 records \(0 bytes\) wait in the outbox; 0 dropped, 0 refused, 0 dead-lettered, 0 quarantined", output);
    }

    [Fact]
    public async Task Run_WithUplink_ShowsTheEdgesScoredCountBesideTheHubsFramesScored()
    {
        Environment.SetEnvironmentVariable("AIFACTORY_RUN_UPLINK_COUNTS_KEY", _hub.Key);
        var config = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(config, UplinkLineYaml.PumpLine("edge-counts", _hub.Url, "AIFACTORY_RUN_UPLINK_COUNTS_KEY"));
        var calibration = Core.Models.ModelCardReader.Read(RepoPaths.Model("pump-vibration-flow")).Calibration!.Samples;
        var port = FreePort.Next();
        var output = new StringWriter();
        var run = CliRunner.RunAsync(TextWriter.Synchronized(output), "run", "--config", config, "--duration", "6", "--status-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        System.Text.Json.JsonElement station = default;
        await Eventually.WaitFor(() =>
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/status").GetAwaiter().GetResult());
                station = doc.RootElement.GetProperty("uplink")[0].Clone();
                return station.GetProperty("summarized_for_hub").GetInt64() > 0;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "a status with verdicts summarized for the hub");

        Assert.Equal("pump-1", station.GetProperty("station").GetString());
        Assert.Equal(calibration, station.GetProperty("calibration").GetInt64());
        Assert.Equal(
            station.GetProperty("results_scored_here").GetInt64(),
            station.GetProperty("summarized_for_hub").GetInt64() + station.GetProperty("calibration").GetInt64() + station.GetProperty("not_scored").GetInt64());
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));

        // After the run: the edge's count (the printer's samples) and the hub's framesScored, named on one line.
        var text = output.ToString();
        var samples = long.Parse(Samples().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var hubFrames = _hub.Applied.Values.Where(r => r.Summary is { StationId: "pump-1" }).Sum(r => r.Summary!.FramesScored);
        Assert.Contains($"uplink pump-1: {samples} results scored here = {hubFrames} in window summaries (the hub's framesScored) + {calibration} calibration samples + 0 not scored (neither leaves the plant)", text, StringComparison.Ordinal);
        Assert.Equal(samples - calibration, hubFrames);
    }

    [GeneratedRegex(@"pump-1: (\d+) samples, \d+ anomalous after calibration")]
    private static partial Regex Samples();

    [GeneratedRegex(@"pump-1: \d+ samples, (\d+) anomalous after calibration")]
    private static partial Regex Anomalous();

    [GeneratedRegex(@"plate-1: (\d+) parts")]
    private static partial Regex Parts();
}
