using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Frames;
using AiFactory.Edge.Live;
using AiFactory.Edge.Sources.Simulation;
using AiFactory.Onnx;
using AiFactory.Testing;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Tests;

/// <summary>Hot reload of a running line: the simulated pump and plate stations, the real models, ONNX Runtime.</summary>
[Trait("Category", "Integration")]
public sealed class LineReloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-reload-").FullName;
    private readonly CapturedLogs _logs = new();
    private readonly FakeTimeProvider _clock = new();

    private string File => Path.Combine(_dir, "line.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Reload_OtherStationAndSourceChanged_UnaffectedStationKeepsEveryFrame()
    {
        Write(plateMissing: "hold-last", plateSeed: 43);
        using var environment = OnnxEnvironment.Create();
        await using var line = LineRunner.Start(EdgeConfigReader.Read(File), environment, TextWriter.Null, _logs, _clock);
        using var stop = new CancellationTokenSource();
        var running = line.RunAsync(stop.Token);
        var pump = Station(line, "pump-1");
        var plate = Station(line, "plate-1");
        var pumpSource = line.Sources.Single(s => s.Name == "pump-1");
        await Eventually.WaitFor(() => pump.Aligner.Counters.Built >= 200 && plate.Aligner.Counters.Built >= 5, "frames on both stations");

        Write(plateMissing: "drop", plateSeed: 44);
        Assert.True(await line.ReloadFromFileAsync(File));
        var atReload = pump.Aligner.Counters.Built;
        var newPlate = Station(line, "plate-1");
        await Eventually.WaitFor(() => pump.Aligner.Counters.Built >= atReload + 200 && newPlate.Aligner.Counters.Built >= 5, "frames after the reload");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await line.StopAsync();

        Assert.Same(pump, Station(line, "pump-1"));
        Assert.Same(pumpSource, line.Sources.Single(s => s.Name == "pump-1"));
        Assert.NotSame(plate, newPlate);
        Assert.Equal(MissingValuePolicy.Drop, newPlate.Definition.Frame.Missing);
        Assert.Equal(1, line.Reloads);

        // One pump frame per simulated second: every complete cycle the source wrote became a frame.
        Assert.Equal(pumpSource.Status.Samples / PumpSimulator.Features.Length, pump.Aligner.Counters.Built);
        Assert.Equal(0, pump.Aligner.Counters.DroppedMissing + pump.Aligner.Counters.DroppedStale);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("reloaded; restarted stations: plate-1; restarted sources: plate-sim", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_InvalidEdit_IsRefusedLoggedAndTheRunningLineStays()
    {
        Write(plateMissing: "hold-last", plateSeed: 43);
        using var environment = OnnxEnvironment.Create();
        await using var line = LineRunner.Start(EdgeConfigReader.Read(File), environment, TextWriter.Null, _logs, _clock);
        using var stop = new CancellationTokenSource();
        var running = line.RunAsync(stop.Token);
        var stations = line.Stations.ToArray();

        Write(plateMissing: "zero", plateSeed: 43);
        var applied = await line.ReloadFromFileAsync(File);
        var atRefusal = stations[0].Aligner.Counters.Built;
        await Eventually.WaitFor(() => stations[0].Aligner.Counters.Built > atRefusal + 100, "frames after the refused edit");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await line.StopAsync();

        Assert.False(applied);
        Assert.Equal((0, 1), (line.Reloads, line.ReloadsRefused));
        Assert.Equal(stations, line.Stations);
        Assert.Equal(MissingValuePolicy.HoldLast, line.Stations[1].Definition.Frame.Missing);
        var error = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains($"Configuration {File} changed but is invalid (1 problem(s)); the running configuration stays:", error.Message, StringComparison.Ordinal);
        Assert.Contains("stations[1].frame.missing: 'zero' is not a missing-value policy (hint: hold-last or drop)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataQualityOf_Station_ReturnsCumulativeCountsPerTagAcrossReloads()
    {
        Write(plateMissing: "hold-last", plateSeed: 43, pumpFlowMax: "20");
        using var environment = OnnxEnvironment.Create();
        await using var line = LineRunner.Start(EdgeConfigReader.Read(File), environment, TextWriter.Null, _logs, _clock);
        using var stop = new CancellationTokenSource();
        var running = line.RunAsync(stop.Token);
        var quality = line.DataQualityOf("pump-1");
        await Eventually.WaitFor(() => quality().Single(q => q.Tag == "pump-1.flow").OutOfRange >= 50, "out-of-range flow values");

        Write(plateMissing: "drop", plateSeed: 43, pumpFlowMax: "20");
        Assert.True(await line.ReloadFromFileAsync(File));
        var afterReload = quality().Single(q => q.Tag == "pump-1.flow").OutOfRange;
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await line.StopAsync();

        var final = quality();
        Assert.Equal(["pump-1.flow", "pump-1/Accelerometer1RMS", "pump-1/Accelerometer2RMS"], final.Select(q => q.Tag).Order(StringComparer.Ordinal));
        var flow = final.Single(q => q.Tag == "pump-1.flow");
        Assert.True(flow.OutOfRange >= afterReload);

        // The simulated flow is about 32 l/min; with max 20 every value is out of range and no pump frame is kept.
        var pump = Station(line, "pump-1");
        Assert.Equal(pump.Tags.Single(t => t.Spec.Name == "pump-1.flow").Counters.Samples, flow.OutOfRange);
        Assert.Equal(0, pump.Aligner.Counters.Built);
        Assert.Empty(line.DataQualityOf("no-such-station")());
    }

    private static LiveStation Station(LineRunner line, string name) => line.Stations.Single(s => s.Definition.Name == name);

    private void Write(string plateMissing, int plateSeed, string pumpFlowMax = "1000")
    {
        System.IO.File.WriteAllText(File, $"""
            sources:
              - {"{"}name: pump-sim, type: simulator, kind: pump, station: pump-1, seed: 42, speed: 2000{"}"}
              - {"{"}name: plate-sim, type: simulator, kind: plate, station: plate-1, seed: {plateSeed}, speed: 200{"}"}
            tags:
              - {"{"}name: pump-1.flow, source: pump-sim, address: pump-1/Volume Flow RateRMS, unit: l/min, min: 0, max: {pumpFlowMax}{"}"}
            stations:
              - name: pump-1
                model: {RepoPaths.Model("pump-anomaly")}
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1.flow
              - name: plate-1
                model: {RepoPaths.Model("steel-defects")}
                trigger: plate-1/part_complete
                frame: {"{"}kind: part, missing: {plateMissing}{"}"}
                tags:
            {string.Join("\n", PlateSimulator.Features.Select(f => $"      {f}: plate-1/{f}"))}

            """);
    }
}
