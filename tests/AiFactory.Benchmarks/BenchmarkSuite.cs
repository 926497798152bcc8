using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiFactory.Onnx;
using AiFactory.Testing;

namespace AiFactory.Benchmarks;

/// <summary>
/// Runs every inference benchmark for each model side by side in one process and prints a table per part;
/// `--out FILE` also writes the figures as JSON. Usage: [--models DIR] [--seconds N] [--intra-op N] [--out FILE] [--only raw|batcher|single|node|ratio|ingest|mqtt-steps|mqtt-floor|startup|alliance|deploy|dashboard] [--companies N --days N --queries N (alliance; --setup postgres)] [--agent-repo DIR --rounds N (startup: the checkout whose Release agent is timed)] [--model pump-anomaly|steel-defects] [--edges N] [--batch N] [--setup sqlite|postgres|shared|nginx|cluster|influx|live (ingest); batching_on,batching_off,batching_on_packed,batching_on_packed_no_hold (mqtt-steps)] [--rates 1000,20000 (mqtt-steps, mqtt-floor; 0 = unpaced)] [--warmup S (ingest: seconds of ingest before the measured ones, default 30)] [--baseline-hub PATH/aifactory-hub.dll (ingest: another build, e.g. main's stateless hub, run on PostgreSQL beside this one)]
/// </summary>
internal static class BenchmarkSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--line-sockets", var hubAddress, var engineerKey, var pages])
        {
            // The child process of `--only dashboard`'s phases with the browsers elsewhere.
            return await LineSocketClients.RunAsync(new Uri(hubAddress), engineerKey, int.Parse(pages, CultureInfo.InvariantCulture));
        }

        if (args is ["--mqtt-client-floor", var port, var topic, var kind])
        {
            // The child process of `--only mqtt-floor`.
            return await Mqtt.FloorClient.RunAsync(int.Parse(port, CultureInfo.InvariantCulture), topic, kind);
        }

        var models = Option(args, "--models") ?? FindModels();
        var seconds = double.Parse(Option(args, "--seconds") ?? "2", CultureInfo.InvariantCulture);
        var only = Option(args, "--only");
        var output = Option(args, "--out");
        var intraOp = int.Parse(Option(args, "--intra-op") ?? "1", CultureInfo.InvariantCulture);
        if (only == "alliance")
        {
            return await AllianceBenchmark.RunAsync(int.Parse(Option(args, "--companies") ?? "1000", CultureInfo.InvariantCulture), int.Parse(Option(args, "--days") ?? "30", CultureInfo.InvariantCulture), int.Parse(Option(args, "--queries") ?? "60", CultureInfo.InvariantCulture), Option(args, "--setup"), output);
        }

        if (only == "ingest")
        {
            return await RunIngestAsync(seconds, output, int.Parse(Option(args, "--edges") ?? "8", CultureInfo.InvariantCulture), int.Parse(Option(args, "--batch") ?? "500", CultureInfo.InvariantCulture), Option(args, "--setup"), Option(args, "--baseline-hub"), double.Parse(Option(args, "--warmup") ?? "30", CultureInfo.InvariantCulture));
        }

        if (only == "deploy")
        {
            return await RunDeployAsync(models, seconds, output, int.Parse(Option(args, "--edges") ?? "50", CultureInfo.InvariantCulture));
        }

        using var environment = OnnxEnvironment.Create("aifactory-bench");
        var report = new Dictionary<string, object>
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}",
            ["onnxruntime"] = OnnxEnvironment.RuntimeVersion,
            ["date"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["seconds_per_measurement"] = seconds,
            ["intra_op_threads"] = intraOp,
        };
        if (only == "startup")
        {
            var repository = Option(args, "--agent-repo") ?? Path.GetDirectoryName(Path.GetFullPath(models))!;
            report["startup"] = await StartupBenchmark.RunAsync(repository, models, int.Parse(Option(args, "--rounds") ?? "5", CultureInfo.InvariantCulture));
            return await WriteAsync(report, output);
        }

        if (only == "dashboard")
        {
            report["dashboard"] = await DashboardBenchmark.RunAsync(
                seconds, int.Parse(Option(args, "--rounds") ?? "10", CultureInfo.InvariantCulture), int.Parse(Option(args, "--dashboards") ?? "50", CultureInfo.InvariantCulture));
            return await WriteAsync(report, output);
        }

        if (only == "mqtt-floor")
        {
            report["mqtt_floor"] = await Mqtt.MqttFloorBenchmark.RunAsync(seconds, Option(args, "--rates"));
            return await WriteAsync(report, output);
        }

        if (only == "mqtt-steps")
        {
            report["mqtt_end_to_end"] = await Mqtt.MqttEndToEndBenchmark.RunAsync(Path.GetDirectoryName(Path.GetFullPath(models))!, seconds, Option(args, "--setup"), Option(args, "--rates"));
            return await WriteAsync(report, output);
        }

        Console.WriteLine($"machine: {report["machine"]}; ONNX Runtime {report["onnxruntime"]}; {seconds} s per measurement; {intraOp} intra-op thread(s) in every session, Node's included");
        foreach (var name in Option(args, "--model") is { } one ? [one] : new[] { "pump-anomaly", "steel-defects" })
        {
            using var model = new BenchModel(environment, Path.Combine(models, name), intraOp);
            var part = new Dictionary<string, object>();
            if (only == "ratio")
            {
                part["ratio"] = await RatioBenchmark.RunAsync(model, 5, seconds);
            }

            if (only is null or "raw")
            {
                part["raw"] = Print($"{name}: raw ONNX Runtime, one thread, Run back to back", OnnxRuntimeBenchmark.Run(model, seconds));
            }

            if (only is null or "batcher")
            {
                var rows = new List<Dictionary<string, object>>();
                foreach (var producers in new[] { 16, 64, 256 })
                {
                    rows.AddRange(await DynamicBatcherBenchmark.RunProducersAsync(model, producers, 128, 500, seconds));
                }

                foreach (var rate in new[] { 1_000.0, 10_000.0, 50_000.0 })
                {
                    rows.AddRange(await DynamicBatcherBenchmark.RunProducersAsync(model, 64, 128, 500, seconds, rate));
                }

                part["batcher"] = Print($"{name}: DynamicBatcher, concurrent producers", rows);
                part["batcher_multi_frame"] = Print($"{name}: DynamicBatcher, producers handing many frames per SubmitManyAsync", [
                    await DynamicBatcherBenchmark.RunBulkProducersAsync(model, 2, 128, 128, 500, seconds),
                    await DynamicBatcherBenchmark.RunBulkProducersAsync(model, 4, 128, 128, 500, seconds),
                    await DynamicBatcherBenchmark.RunBulkProducersAsync(model, 8, 32, 128, 500, seconds)]);
            }

            if (only is null or "batcher" or "single")
            {
                part["single_producer"] = Print($"{name}: one producer, added latency over the executor at batch 1", [
                    await DynamicBatcherBenchmark.SingleProducerAddedLatencyAsync(model, 0, seconds),
                    await DynamicBatcherBenchmark.SingleProducerAddedLatencyAsync(model, 100, seconds),
                    await DynamicBatcherBenchmark.SingleProducerAddedLatencyAsync(model, 500, seconds),
                    await DynamicBatcherBenchmark.SingleProducerAddedLatencyAsync(model, 0, seconds, inline: true),
                    await DynamicBatcherBenchmark.SingleProducerAddedLatencyAsync(model, 100, seconds, inline: true),
                    await DynamicBatcherBenchmark.SingleProducerAddedLatencyAsync(model, 500, seconds, inline: true)]);
            }

            if (only is null or "node")
            {
                part["node"] = Print($"{name}: Node.js onnxruntime-node, one message at a time", [await NodePeerBenchmark.RunAsync(model, seconds)]);
            }

            report[name] = part;
        }

        return await WriteAsync(report, output);
    }

    /// <summary>Deployments: promote to N simulated edges, frames delayed by swaps, shadow mode's cost (docs/benchmarks.md).</summary>
    private static async Task<int> RunDeployAsync(string models, double seconds, string? output, int edges)
    {
        var report = new Dictionary<string, object>
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}",
            ["date"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["promote"] = Print($"deployment to {edges} simulated edges (in-process hub on SQLite)", await PromoteBenchmark.RunAsync(models, edges)),
            ["swap"] = Print("frames delayed by swaps (pump-vibration-flow, 2000 frames/s)", await SwapBenchmark.SwapLatencyAsync(models, Math.Max(seconds, 6), 2000)),
            ["shadow"] = Print("shadow mode's cost (pump-vibration-flow, line fed flat out)", await SwapBenchmark.ShadowCostAsync(models, 200_000)),
        };
        return await WriteAsync(report, output);
    }

    private static async Task<int> WriteAsync(Dictionary<string, object> report, string? output)
    {
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {output}");
        }

        return 0;
    }

    private static async Task<int> RunIngestAsync(double seconds, string? output, int edges, int batch, string? setup, string? baselineHub, double warmup)
    {
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";
        Console.WriteLine($"machine: {machine}; {edges} edges sending at once, {batch} summaries per batch, {warmup} s warm-up then {seconds} s measured per setup");
        var rows = Print("hub ingest: station-window summaries accepted", await IngestBenchmark.RunAsync(seconds, edges, batch, setup, baselineHub, warmup));
        var live = setup is null or "live" && PostgresDatabase.Missing is null
            ? Print("live views: server-sent events from acknowledgement to client", [await LiveFanOutBenchmark.RunAsync(seconds)])
            : [];
        if (output is not null)
        {
            var report = new Dictionary<string, object>
            {
                ["machine"] = machine, ["date"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                ["edges"] = edges, ["summaries_per_batch"] = batch, ["seconds"] = seconds, ["ingest"] = rows, ["live_fanout"] = live,
            };
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {output}");
        }

        return 0;
    }

    private static List<Dictionary<string, object>> Print(string title, List<Dictionary<string, object>> rows)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        if (rows.Count == 0)
        {
            return rows;
        }

        var columns = rows[0].Keys.Where(k => k != "model").ToArray();
        Console.WriteLine(string.Join("  ", columns.Select(c => c.PadLeft(Math.Max(10, c.Length)))));
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", columns.Select(c => Convert.ToString(row.GetValueOrDefault(c), CultureInfo.InvariantCulture)!.PadLeft(Math.Max(10, c.Length)))));
        }

        return rows;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "models", "pump-anomaly", "card.yaml")))
            {
                return Path.Combine(dir.FullName, "models");
            }
        }

        throw new DirectoryNotFoundException("no models/ folder above the benchmark; pass --models");
    }
}
