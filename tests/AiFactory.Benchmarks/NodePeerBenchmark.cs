using System.Diagnostics;
using System.Text.Json;

namespace AiFactory.Benchmarks;

/// <summary>
/// Runs node/score-one-by-one.mjs (onnxruntime-node, one awaited session.run per message, as a Node-RED flow does)
/// on the same model and reports its figures.
/// </summary>
/// <remarks>usage: node --model PATH [--messages 20000] [--ort-prefix DIR]</remarks>
public static class NodePeerBenchmark
{
    private const string OrtNodeVersion = "1.30.0";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArguments.Parse(args);
        if (options.Model is null)
        {
            Console.Error.WriteLine("node: --model PATH is required");
            return 2;
        }

        var prefix = options.Get("ort-prefix", DefaultPrefix());
        await EnsureInstalledAsync(prefix);
        var script = Path.Combine(AppContext.BaseDirectory, "node", "score-one-by-one.mjs");
        var (exitCode, stdout, stderr) = await RunProcessAsync("node",
            [script, "--model", Path.GetFullPath(options.Model), "--ort-prefix", prefix, "--messages", options.Get("messages", "20000")]);
        if (exitCode != 0)
        {
            Console.Error.WriteLine($"node: score-one-by-one.mjs exited with {exitCode}: {stderr.Trim()}");
            return 1;
        }

        var figures = JsonSerializer.Deserialize<NodePeerResult>(stdout.Trim(), JsonOptions)
            ?? throw new InvalidOperationException($"node: no JSON in the script's output '{stdout}'");
        Console.WriteLine($"onnxruntime-node {figures.Version} on Node {figures.Node}; model {figures.Model}");
        Console.WriteLine($"one message at a time: {figures.Messages} messages in {figures.Seconds:F2} s = {figures.MessagesPerSecond:F0} msg/s; " +
            $"p50 {figures.P50Ms * 1000:F1} us, p99 {figures.P99Ms * 1000:F1} us, max {figures.MaxMs * 1000:F1} us");
        Console.WriteLine(stdout.Trim());
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static string DefaultPrefix()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(home, ".cache", "aifactory", $"onnxruntime-node-{OrtNodeVersion}");
    }

    // The build of AiFactory.Onnx normally installed the package here already; install it when it did not.
    private static async Task EnsureInstalledAsync(string prefix)
    {
        if (File.Exists(Path.Combine(prefix, "node_modules", "onnxruntime-node", "package.json")))
        {
            return;
        }

        var staging = $"{prefix}.staging-{Guid.NewGuid():N}";
        var (exitCode, _, stderr) = await RunProcessAsync("npm",
            ["install", "--ignore-scripts", "--no-save", "--no-audit", "--no-fund", "--prefix", staging, $"onnxruntime-node@{OrtNodeVersion}"]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"node: npm could not install onnxruntime-node@{OrtNodeVersion} into '{staging}': {stderr.Trim()}");
        }

        try
        {
            Directory.Move(staging, prefix);
        }
        catch (IOException) when (Directory.Exists(prefix))
        {
            Directory.Delete(staging, recursive: true);   // another process installed it first
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{fileName}'");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
