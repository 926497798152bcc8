using System.Globalization;
using System.Text.RegularExpressions;
using AiFactory.Edge.Core.Models;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>Editing the configuration while `run` runs: changes apply, unaffected stations lose no frame, bad edits are refused.</summary>
[Trait("Category", "Integration")]
public sealed partial class HotReloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-reload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ConfigEdited_ChangedPartsRestart_UnaffectedStationLosesNoFrame_InvalidEditIsRefused()
    {
        var file = Path.Combine(_dir, "line.yaml");
        await File.WriteAllTextAsync(file, Config(plateSpeed: 100, secondPump: false));
        var inner = new StringWriter();
        var output = TextWriter.Synchronized(inner);
        string Text()
        {
            lock (output)
            {
                return inner.ToString();
            }
        }

        var run = CliRunner.RunAsync(output, "run", "--config", file, "--duration", "12");
        await Eventually.WaitFor(() => Text().Contains("Ctrl+C stops.", StringComparison.Ordinal), "the agent's start");
        Assert.Contains($"watching {file}: edits apply while running", Text(), StringComparison.Ordinal);
        await Eventually.WaitFor(() => Text().Contains("pump-1  ok", StringComparison.Ordinal), "pump-1 verdicts after calibration");

        await File.WriteAllTextAsync(file, Config(plateSpeed: 50, secondPump: true));
        await Eventually.WaitFor(() => Text().Contains(" applied: ", StringComparison.Ordinal), "the edit applied");
        // "applied" is printed after the debounce fired and the reload finished: the next write is a separate edit.
        await File.WriteAllTextAsync(file, Config(plateSpeed: 50, secondPump: true).Replace("steel-defects", "no-such-model", StringComparison.Ordinal));
        await Eventually.WaitFor(() => Text().Contains("not applied", StringComparison.Ordinal), "the invalid edit refused");

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        var text = Text();
        Assert.Contains($"config {file} applied: sources added: pump-sim-2; sources restarted: plate-sim; stations added: pump-2", text, StringComparison.Ordinal);
        Assert.Contains($"config {file} not applied, the running line is unchanged: ", text, StringComparison.Ordinal);
        Assert.Contains("stations[1].model", text, StringComparison.Ordinal);

        // pump-1 was never restarted: every pump sample of the whole run (8 tags each) became one of its frames.
        var values = long.Parse(SourceValues().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var frames = long.Parse(Pump1Frames().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(frames > 400, $"pump-1 built {frames} frames");
        Assert.Equal(values / 8, frames);
        Assert.Matches(@"frames pump-2: [1-9]\d* built", text);
    }

    private static string Config(int plateSpeed, bool secondPump)
    {
        var plateTags = string.Join(", ", ModelCardReader.Read(RepoPaths.Model("steel-defects")).Input.Features.Select(f => $"{f}: plate-1/{f}"));
        var pump = RepoPaths.Model("pump-vibration-flow");
        var second = secondPump
            ? $$"""
              - name: pump-2
                model: {{pump}}
                tags: {Accelerometer1RMS: pump-2/Accelerometer1RMS, Accelerometer2RMS: pump-2/Accelerometer2RMS, Volume Flow RateRMS: pump-2/Volume Flow RateRMS}
            """
            : string.Empty;
        var secondSource = secondPump ? "  - {name: pump-sim-2, type: simulator, kind: pump, station: pump-2, speed: 100, seed: 7}\n" : string.Empty;
        return $$"""
            sources:
              - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 100}
              - {name: plate-sim, type: simulator, kind: plate, station: plate-1, speed: {{plateSpeed}}}
            {{secondSource}}stations:
              - name: pump-1
                model: {{pump}}
                tags: {Accelerometer1RMS: pump-1/Accelerometer1RMS, Accelerometer2RMS: pump-1/Accelerometer2RMS, Volume Flow RateRMS: pump-1/Volume Flow RateRMS}
              - name: plate-1
                model: {{RepoPaths.Model("steel-defects")}}
                trigger: plate-1/part_complete
                tags: {{{plateTags}}}
            {{second}}
            """;
    }

    [GeneratedRegex(@"source pump-1: Stopped, (\d+) values")]
    private static partial Regex SourceValues();

    [GeneratedRegex(@"frames pump-1: (\d+) built")]
    private static partial Regex Pump1Frames();
}
