using System.Text.RegularExpressions;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>`run --config` prints each station's frames and its tags' data-quality problems when it stops.</summary>
[Trait("Category", "Integration")]
public sealed class RunSummaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-summary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_TagOutOfRange_SummaryCountsItAndNoFrameIsBuilt()
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, $"""
            sources:
              - {"{"}name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 200{"}"}
            tags:
              - {"{"}name: pump-1.flow, source: pump-sim, address: pump-1/Volume Flow RateRMS, unit: l/min, min: 0, max: 20{"}"}
            stations:
              - name: pump-1
                model: {RepoPaths.Model("pump-anomaly")}
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1.flow

            """);

        var (exit, output) = await CliRunner.RunAsync("run", "--config", file, "--duration", "2");

        Assert.Equal(0, exit);
        var flow = Regex.Match(output, @"  tag pump-1\.flow: (\d+) values, 0 stale, (\d+) out of range, 0 NaN, 0 gaps, 0 decode errors");
        Assert.True(flow.Success, output);
        Assert.Equal(flow.Groups[1].Value, flow.Groups[2].Value);
        Assert.True(long.Parse(flow.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Matches(@"frames pump-1: 0 built, 0 values held, 0 dropped \(missing\), \d+ dropped \(stale\)", output);
        Assert.Contains("  2 of 3 tag(s) without data-quality problems", output, StringComparison.Ordinal);
    }
}
