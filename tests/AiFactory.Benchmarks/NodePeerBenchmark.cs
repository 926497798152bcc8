using System.Diagnostics;
using System.Text.Json;

namespace AiFactory.Benchmarks;

/// <summary>The same model in Node.js through onnxruntime-node, one message at a time (node/score-one-by-one.mjs).</summary>
internal static class NodePeerBenchmark
{
    public static async Task<Dictionary<string, object>> RunAsync(BenchModel model, double seconds)
    {
        var ortNode = Environment.GetEnvironmentVariable("AIFACTORY_ORT_NODE");
        if (string.IsNullOrEmpty(ortNode) || !Directory.Exists(ortNode))
        {
            return new Dictionary<string, object> { ["model"] = model.Card.Name, ["error"] = $"onnxruntime-node not found at AIFACTORY_ORT_NODE='{ortNode}' (bash deploy/bench.sh inference installs it and sets it)" };
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "node", "score-one-by-one.mjs"), ortNode, model.Card.OnnxPath, model.Card.Input.Name, model.Card.FrameLength.ToString(System.Globalization.CultureInfo.InvariantCulture), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), model.IntraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            return new Dictionary<string, object> { ["model"] = model.Card.Name, ["error"] = $"node exited {process.ExitCode}: {error.Trim()}" };
        }

        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        return new Dictionary<string, object>
        {
            ["model"] = model.Card.Name,
            ["runtime"] = root.GetProperty("runtime").GetString()!,
            ["inferences_per_s"] = Math.Round(root.GetProperty("throughput").GetDouble()),
            ["latency_p50_us"] = Math.Round(root.GetProperty("p50_us").GetDouble(), 1),
            ["latency_p99_us"] = Math.Round(root.GetProperty("p99_us").GetDouble(), 1),
        };
    }
}
