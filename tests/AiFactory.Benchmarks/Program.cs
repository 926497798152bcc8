using AiFactory.Benchmarks;

// Subcommands: each benchmark is a static RunAsync(string[] args) that prints its figures.
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["raw"] = OnnxRuntimeBenchmark.RunAsync,
    ["node"] = NodePeerBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: AiFactory.Benchmarks <{string.Join('|', benchmarks.Keys)}> [--name value ...]");
    Console.Error.WriteLine("  raw  --model PATH [--batches 1,8,32,128] [--seconds 3] [--intra-threads 1]");
    Console.Error.WriteLine("  node --model PATH [--messages 20000] [--ort-prefix DIR]");
    return 2;
}

return await run(args[1..]);
