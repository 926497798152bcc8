using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Live;
using AiFactory.Onnx;
using AiFactory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Benchmarks;

/// <summary>
/// The live line's side of a deployment, measured on the agent's own LineRuntime (routing thread, CallerRuns
/// batching) with pump-vibration-flow (3 features, calibration on 400 samples): (1) how much a swap between routing
/// rounds delays the frames around it, at a steady sample rate, against the same run without swaps; (2) what a shadow
/// candidate costs: CPU time per frame with and without one, the line fed as fast as it takes samples.
/// </summary>
internal static class SwapBenchmark
{
    private static readonly string[] Tags = ["Accelerometer1RMS", "Accelerometer2RMS", "Volume Flow RateRMS"];
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddYears(56);

    public static async Task<List<Dictionary<string, object>>> SwapLatencyAsync(string models, double seconds, int framesPerSecond)
    {
        using var dir = new TempDirectory("aifactory-bench-swap-");
        var folders = new[] { "7.0.1", "7.0.2" }.Select(v => Copy(models, dir, v)).ToArray();
        var rows = new List<Dictionary<string, object>>();

        // A first run warms ONNX Runtime and the line up; only the later ones are recorded.
        await RunPacedAsync(dir, folders, 2, framesPerSecond, swap: false);
        foreach (var swaps in new[] { false, true, false, true })
        {
            var load = LoadAverage.OneMinute();
            var (verdicts, nearSwap, calibrating, swapCount) = await RunPacedAsync(dir, folders, seconds, framesPerSecond, swaps);
            rows.Add(new Dictionary<string, object>
            {
                ["run"] = swaps ? "a swap every second" : "no swap", ["frames_per_s"] = framesPerSecond, ["seconds"] = seconds, ["swaps"] = swapCount,
                ["verdicts"] = verdicts.Count, ["verdict_p50_us"] = Micros(verdicts.At(0.5)), ["verdict_p99_us"] = Micros(verdicts.At(0.99)),
                ["verdicts_of_samples_written_up_to_200ms_after_a_swap"] = nearSwap.Count, ["those_p99_us"] = Micros(nearSwap.At(0.99)),
                ["calibration_results"] = calibrating.Count, ["calibration_results_p99_us"] = Micros(calibrating.At(0.99)),
                ["load_average_1m_before"] = load, ["load_average_1m_after"] = LoadAverage.OneMinute(),
            });
        }

        return rows;
    }

    public static async Task<List<Dictionary<string, object>>> ShadowCostAsync(string models, int frames)
    {
        using var dir = new TempDirectory("aifactory-bench-shadow-");
        var folders = new[] { "7.0.1", "7.0.2" }.Select(v => Copy(models, dir, v)).ToArray();
        var rows = new List<Dictionary<string, object>>();
        foreach (var shadow in new[] { false, true, false, true })
        {
            var load = LoadAverage.OneMinute();
            var (cpu, wall, results) = await RunFlatOutAsync(dir, folders, frames, shadow);
            rows.Add(new Dictionary<string, object>
            {
                ["run"] = shadow ? "production + shadow" : "production only", ["frames"] = frames, ["results"] = results,
                ["cpu_us_per_frame"] = Math.Round(cpu.TotalMicroseconds / frames, 2), ["frames_per_s"] = Math.Round(frames / wall.TotalSeconds),
                ["load_average_1m_before"] = load,
            });
        }

        return rows;
    }

    private static object Micros(double value) => double.IsNaN(value) ? "none" : Math.Round(value);

    private static async Task<(Percentiles Verdicts, Percentiles NearSwap, Percentiles Calibrating, int Swaps)> RunPacedAsync(
        TempDirectory dir, string[] folders, double seconds, int rate, bool swap)
    {
        var total = (int)(seconds * rate);
        var written = new long[total];
        var verdicts = new Percentiles(total);
        var near = new Percentiles(1024);
        var calibrating = new Percentiles(1024);
        var swapTimes = new List<long>();
        var (line, config, environment) = Line(dir, folders[0], null, r =>
        {
            var i = (int)(r.Timestamp - Start).TotalMilliseconds;
            var latency = Stopwatch.GetElapsedTime(written[i]).TotalMicroseconds;
            if (r.Calibrating)
            {
                calibrating.Add(latency);
                return;
            }

            verdicts.Add(latency);
            lock (swapTimes)
            {
                if (swapTimes.Any(t => written[i] >= t && Stopwatch.GetElapsedTime(t, written[i]) < TimeSpan.FromMilliseconds(200)))
                {
                    near.Add(latency);
                }
            }
        });
        using var _ = environment;
        await using var scope = line;
        line.Start();
        var routing = line.RouteAsync();
        var clock = Stopwatch.StartNew();
        var swaps = 0;
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (clock.Elapsed < due)
                {
                    Thread.SpinWait(50);
                }

                written[i] = Stopwatch.GetTimestamp();
                foreach (var (tag, f) in Tags.Select((t, f) => (t, f)))
                {
                    await line.Writer.WriteAsync(new TagSample($"pump-1/{tag}", Start.AddMilliseconds(i), 1 + (f * 0.1) + (Math.Sin(i / 7.0) * 0.05)));
                }
            }

            line.Writer.Complete();
        });
        if (swap)
        {
            var station = config.Stations[0];
            for (var at = 1.0; at < seconds - 0.5; at += 1.0)
            {
                while (clock.Elapsed.TotalSeconds < at)
                {
                    await Task.Delay(5);
                }

                var next = folders[++swaps % 2];
                lock (swapTimes)
                {
                    swapTimes.Add(Stopwatch.GetTimestamp());
                }

                await line.ApplyAsync(config with { Stations = [station with { ModelFolder = next, Card = ModelCardReader.Read(next), Fingerprint = station.Fingerprint + swaps }] });
            }
        }

        await writing;
        await routing;
        await line.DrainAsync();
        return (verdicts, near, calibrating, swaps);
    }

    private static async Task<(TimeSpan Cpu, TimeSpan Wall, long Results)> RunFlatOutAsync(TempDirectory dir, string[] folders, int frames, bool shadow)
    {
        long results = 0;
        var (line, _, environment) = Line(dir, folders[0], shadow ? folders[1] : null, _ => Interlocked.Increment(ref results));
        using var __ = environment;
        await using var scope = line;
        line.Start();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var routing = line.RouteAsync();
        for (var i = 0; i < frames; i++)
        {
            foreach (var (tag, f) in Tags.Select((t, f) => (t, f)))
            {
                await line.Writer.WriteAsync(new TagSample($"pump-1/{tag}", Start.AddMilliseconds(i), 1 + (f * 0.1) + (Math.Sin(i / 7.0) * 0.05)));
            }
        }

        line.Writer.Complete();
        await routing;
        await line.DrainAsync();
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu, clock.Elapsed, results);
    }

    private static (LineRuntime Line, EdgeConfig Config, OnnxEnvironment Environment) Line(TempDirectory dir, string model, string? shadow, Action<AnomalyResult> onResult)
    {
        File.WriteAllText(dir.File("line.yaml"), $$"""
            sources:
              - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 100}
            stations:
              - name: pump-1
                model: {{model}}
                tags: {{{string.Join(", ", Tags.Select(t => $"{t}: pump-1/{t}"))}}}
            """);
        var read = EdgeConfigReader.Read(dir.File("line.yaml"));
        var config = read with { Sources = [], Stations = [read.Stations[0] with { ShadowFolder = shadow }] };
        var environment = OnnxEnvironment.Create("aifactory-bench");
        LineRuntime? line = null;
        line = new LineRuntime(
            config, environment, DynamicBatcherOptions.Line, NullLoggerFactory.Instance,
            (s, package, candidate) => new LiveStation(s, package, line!.Tags, onResult, _ => { }, candidate, _ => { }, _ => { }),
            Channel.CreateBounded<TagSample>(new BoundedChannelOptions(10_000) { SingleReader = true }), CancellationToken.None);
        return (line, config, environment);
    }

    private static string Copy(string models, TempDirectory dir, string version)
    {
        var folder = Directory.CreateDirectory(dir.File(version)).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(models, "pump-vibration-flow")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var card = Path.Combine(folder, "card.yaml");
        File.WriteAllText(card, Regex.Replace(File.ReadAllText(card), "(?m)^version: .*$", $"version: {version}"));
        return folder;
    }
}
