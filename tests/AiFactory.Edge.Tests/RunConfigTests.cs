using System.Globalization;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>`run --config` end to end: a real mosquitto, JSON telemetry, the pump-vibration-flow model, live verdicts.</summary>
[Trait("Category", "Integration")]
public sealed class RunConfigTests : IDisposable
{
    private readonly MosquittoBroker _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-run-").FullName;

    public void Dispose()
    {
        _broker.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [MosquittoFact]
    public async Task Run_MqttLine_CalibratesThenFlagsTheFlowDrop()
    {
        _broker.Start();
        var config = WritePumpLine("line.yaml", "run-config-test");
        using var verdicts = _broker.Subscribe("plant/line1/+/verdict");
        var (run, console) = await StartAgentAsync(config);

        var random = new Random(5);
        _broker.PublishLines("plant/line1/pump1/telemetry", Enumerable.Range(0, 600).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"vib": [{{0.027 + ((random.NextDouble() - 0.5) * 0.001):F5}}, {{0.040 + ((random.NextDouble() - 0.5) * 0.0015):F5}}], "flow": {{(i < 450 ? 32.0 : 27.0) + ((random.NextDouble() - 0.5) * 0.6):F3}}}""")));

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = console();
        Assert.Contains("pump-1  ANOMALY", text, StringComparison.Ordinal);
        Assert.Contains("pump-1: 600 samples", text, StringComparison.Ordinal);
        Assert.Contains("source plant-broker: Stopped, 1800 values, 0 decode errors", text, StringComparison.Ordinal);
        Assert.Contains("output mqtt: 200 verdicts published to plant/line1/<station>/verdict, 0 refused", text, StringComparison.Ordinal);
        await Eventually.WaitFor(() => verdicts.Payloads.Count == 200, "200 verdicts at the subscriber");
        var anomaly = verdicts.Payloads.Select(p => System.Text.Json.JsonDocument.Parse(p).RootElement).First(v => v.GetProperty("verdict").GetString() == "anomaly");
        Assert.Equal("pump-1", anomaly.GetProperty("station").GetString());
        Assert.Equal("pump-vibration-flow", anomaly.GetProperty("model").GetString());
        Assert.True(anomaly.GetProperty("score").GetDouble() > anomaly.GetProperty("threshold").GetDouble());
    }

    [MosquittoFact]
    public async Task Run_PackedVerdicts_EveryVerdictOnceInOrder_InArraysOfAtMostTheLimit()
    {
        _broker.Start();
        var config = WritePumpLine("packed.yaml", "run-packed-test", timestamp: "ts", outputExtra: "max_results_per_message: 16");
        using var verdicts = _broker.Subscribe("plant/line1/+/verdict");
        var (run, console) = await StartAgentAsync(config);

        // Sample i carries its own timestamp (i ms after a fixed start), so each verdict names the sample it is for.
        var start = DateTimeOffset.Parse("2026-12-02T00:00:00Z", CultureInfo.InvariantCulture);
        var random = new Random(7);
        _broker.PublishLines("plant/line1/pump1/telemetry", Enumerable.Range(0, 1000).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"ts": {{start.AddMilliseconds(i).ToUnixTimeMilliseconds()}}, "vib": [{{0.027 + ((random.NextDouble() - 0.5) * 0.001):F5}}, {{0.040 + ((random.NextDouble() - 0.5) * 0.0015):F5}}], "flow": {{32.0 + ((random.NextDouble() - 0.5) * 0.6):F3}}}""")));

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        // 1,000 samples less the 400 the card calibrates on, which get no published verdict.
        await Eventually.WaitFor(() => verdicts.Payloads.Sum(p => System.Text.Json.JsonDocument.Parse(p).RootElement.GetArrayLength()) == 600, "600 verdicts at the subscriber");
        var messages = verdicts.Payloads.Select(p => System.Text.Json.JsonDocument.Parse(p).RootElement).ToList();
        Assert.All(messages, m => Assert.InRange(m.GetArrayLength(), 1, 16));
        var times = messages.SelectMany(m => m.EnumerateArray()).Select(v => v.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(Enumerable.Range(400, 600).Select(i => start.AddMilliseconds(i)), times);
        Assert.All(messages.SelectMany(m => m.EnumerateArray()), v => Assert.Equal("pump-1", v.GetProperty("station").GetString()));
        Assert.Contains($"output mqtt: 600 verdicts published to plant/line1/<station>/verdict in {messages.Count} messages (up to 16 per message), 0 refused", console(), StringComparison.Ordinal);
    }

    [MosquittoFact]
    public async Task Run_SteadyStream_IsHeldIntoBatches_AndEachHeldBatchLeavesWithinTheHoldWhileRunning()
    {
        _broker.Start();
        var config = WritePumpLine("held.yaml", "run-held-test", timestamp: "ts", outputExtra: "max_results_per_message: 32");
        using var verdicts = _broker.Subscribe("plant/line1/+/verdict");
        // The test stops the agent once the verdicts are in; 45 s at the latest.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var (run, console) = await StartAgentAsync(config, seconds: 120, stop.Token, "--max-hold-us", "300000");

        var start = DateTimeOffset.Parse("2026-12-02T00:00:00Z", CultureInfo.InvariantCulture);
        var random = new Random(9);
        IEnumerable<string> Samples(int from, int count) => Enumerable.Range(from, count).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"ts": {{start.AddMilliseconds(i).ToUnixTimeMilliseconds()}}, "vib": [{{0.027 + ((random.NextDouble() - 0.5) * 0.001):F5}}, {{0.040 + ((random.NextDouble() - 0.5) * 0.0015):F5}}], "flow": {{32.0 + ((random.NextDouble() - 0.5) * 0.6):F3}}}"""));

        // The 400 calibration samples at once, then 200 one by one, 5 ms apart: a steady stream of one-message bursts,
        // which the line holds up to 0.3 s (or until a batch's worth, 32 samples, waits) and scores together.
        _broker.PublishLines("plant/line1/pump1/telemetry", Samples(0, 400));
        _broker.PublishLines("plant/line1/pump1/telemetry", Samples(400, 200), spacing: TimeSpan.FromMilliseconds(5));

        // Every verdict arrives while the agent runs on: the last held batch leaves
        // when its time is up, with no more traffic and no stop to flush it.
        await Eventually.WaitFor(() => verdicts.Payloads.Sum(p => System.Text.Json.JsonDocument.Parse(p).RootElement.GetArrayLength()) == 200, "200 verdicts at the subscriber");
        Assert.False(run.IsCompleted, "the agent should still be running");
        await stop.CancelAsync();
        var messages = verdicts.Payloads.Select(p => System.Text.Json.JsonDocument.Parse(p).RootElement).ToList();
        var times = messages.SelectMany(m => m.EnumerateArray()).Select(v => v.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(Enumerable.Range(400, 200).Select(i => start.AddMilliseconds(i)), times);

        // Without the hold each of the 200 one-message bursts would be its own round and its own verdict message.
        Assert.InRange(messages.Count, 1, 50);
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("output mqtt: 200 verdicts published", console(), StringComparison.Ordinal);
    }

    [MosquittoFact]
    public async Task Run_TagDefinitions_ConvertUnits_AndCountBadValuesPerTag()
    {
        _broker.Start();
        var config = Path.Combine(_dir, "tags.yaml");
        File.WriteAllText(config, $$"""
            sources:
              - name: plant-broker
                type: mqtt
                port: {{_broker.Port}}
                client_id: run-tags-test
                subscriptions:
                  - topic: t
                    json:
                      tags:
                        p/a1: vib[0]
                        p/a2: vib[1]
                        p/flow: flow
            tags:
              - {name: p/a1, unit: g, scale: 0.001, min: 0, max: 1}
              - {name: p/a2, unit: g, scale: 0.001, min: 0, max: 1}
              - {name: p/flow, unit: l/min, min: 0, max: 100}
            stations:
              - name: pump-1
                model: {{RepoPaths.Model("pump-vibration-flow")}}
                frame: {missing: drop}
                tags:
                  Accelerometer1RMS: p/a1
                  Accelerometer2RMS: p/a2
                  Volume Flow RateRMS: p/flow
            """);
        using var output = new StringWriter();
        var run = CliRunner.RunAsync(TextWriter.Synchronized(output), "run", "--config", config, "--duration", "6");
        await Eventually.WaitFor(() => { lock (output) { return output.ToString().Contains("Ctrl+C stops.", StringComparison.Ordinal); } }, "the agent's start");
        await Task.Delay(500);

        // 500 good samples (milli-g), 3 with a flow out of range, 2 whose vibration is not a number.
        var lines = Enumerable.Range(0, 500).Select(i => string.Create(CultureInfo.InvariantCulture, $$"""{"vib": [{{27 + (i % 3)}}, {{40 + (i % 5)}}], "flow": {{32 + (i % 7) * 0.1}}}""")).ToList();
        lines.AddRange(["{\"vib\": [27, 40], \"flow\": 900}", "{\"vib\": [27, 40], \"flow\": -1}", "{\"vib\": [27, 40], \"flow\": 1000}", "{\"vib\": [\"x\", 40], \"flow\": 30}", "{\"vib\": [null, 40], \"flow\": 30}"]);
        _broker.PublishLines("t", lines);

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = output.ToString();
        // 500 good frames; then the out-of-range flows are not used, so the next frame completes only with the
        // flow of line 504 (holding that line's undecodable vibration's predecessor): 501 frames in all.
        Assert.Contains("pump-1: 501 samples", text, StringComparison.Ordinal);
        Assert.Contains("frames pump-1: 501 built, 0 dropped", text, StringComparison.Ordinal);
        Assert.Contains("tag p/flow: 0 stale, 3 out of range, 0 NaN, 0 gaps, 0 decode errors", text, StringComparison.Ordinal);
        Assert.Contains("tag p/a1: 0 stale, 0 out of range, 0 NaN, 0 gaps, 2 decode errors", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidConfig_RefusesToStartAndListsProblems()
    {
        var config = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(config, "sources: []\nstations: []\n");

        var (exit, output) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, exit);
        Assert.Contains($"{config}:1:1: sources: at least one source is required", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The pump line the verdict tests run: JSON telemetry (vib[0], vib[1], flow) on plant/line1/pump1/telemetry,
    /// the pump-vibration-flow model, verdicts to plant/line1/{station}/verdict.
    /// </summary>
    private string WritePumpLine(string file, string clientId, string? timestamp = null, string? outputExtra = null)
    {
        var config = Path.Combine(_dir, file);
        // Interpolated lines are not re-indented by the raw string: they carry the file's own indentation.
        var timestampLine = timestamp is null ? string.Empty : $"\n          timestamp: {timestamp}";
        var outputLine = outputExtra is null ? string.Empty : $"\n    {outputExtra}";
        File.WriteAllText(config, $$"""
            sources:
              - name: plant-broker
                type: mqtt
                port: {{_broker.Port}}
                client_id: {{clientId}}
                subscriptions:
                  - topic: plant/line1/pump1/telemetry
                    json:{{timestampLine}}
                      tags:
                        p/a1: vib[0]
                        p/a2: vib[1]
                        p/flow: flow
            outputs:
              mqtt:
                port: {{_broker.Port}}
                client_id: {{clientId}}-out
                topic: plant/line1/{station}/verdict{{outputLine}}
            stations:
              - name: pump-1
                model: {{RepoPaths.Model("pump-vibration-flow")}}
                tags:
                  Accelerometer1RMS: p/a1
                  Accelerometer2RMS: p/a2
                  Volume Flow RateRMS: p/flow
            """);
        return config;
    }

    /// <summary>Starts `run --config` for 8 s and waits until it is up; Text reads its console so far.</summary>
    private static Task<(Task<int> Run, Func<string> Text)> StartAgentAsync(string config) => StartAgentAsync(config, 8, CancellationToken.None);

    /// <summary>Starts `run --config` with <paramref name="extra"/> options for <paramref name="seconds"/> (or until <paramref name="stop"/>).</summary>
    private static async Task<(Task<int> Run, Func<string> Text)> StartAgentAsync(string config, int seconds, CancellationToken stop, params string[] extra)
    {
        var inner = new StringWriter();
        var output = TextWriter.Synchronized(inner);

        // The synchronized writer locks itself around every write; read under the same lock.
        string Text()
        {
            lock (output)
            {
                return inner.ToString();
            }
        }

        var run = CliRunner.RunAsync(output, stop, ["run", "--config", config, "--duration", seconds.ToString(CultureInfo.InvariantCulture), .. extra]);
        await Eventually.WaitFor(() => Text().Contains("Ctrl+C stops.", StringComparison.Ordinal), "the agent's start");
        await Task.Delay(500);
        return (run, Text);
    }
}
