using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiFactory.Onnx;

namespace AiFactory.Benchmarks;

/// <summary>
/// Raw ONNX Runtime through AiFactory.Onnx: rows per second, Run latency p50/p99 and managed bytes allocated per Run
/// in steady state, at several batch sizes, for one .onnx model with float inputs.
/// </summary>
/// <remarks>usage: raw --model PATH [--batches 1,8,32,128] [--seconds 3] [--intra-threads 1]</remarks>
public static class OnnxRuntimeBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArguments.Parse(args);
        if (options.Model is null)
        {
            Console.Error.WriteLine("raw: --model PATH is required");
            return Task.FromResult(2);
        }

        var batches = options.Get("batches", "1,8,32,128").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(options.Get("seconds", "3"), CultureInfo.InvariantCulture);
        var intraThreads = int.Parse(options.Get("intra-threads", "1"), CultureInfo.InvariantCulture);

        using var env = OnnxEnvironment.Create("benchmark");
        using var model = OnnxModel.Load(env, options.Model, new OnnxSessionOptions { IntraOpThreads = intraThreads }, Path.GetFileName(options.Model));
        Console.WriteLine($"ONNX Runtime {OnnxEnvironment.RuntimeVersion} ({OnnxEnvironment.LibraryPath})");
        Console.WriteLine($"model {options.Model}; {Environment.ProcessorCount} logical cores; intra-op threads {intraThreads}; {seconds} s per batch size");
        Console.WriteLine($"{"batch",6} {"runs",9} {"rows/s",12} {"p50 us",10} {"p99 us",10} {"alloc B/run",12}");

        var results = new List<RawResult>();
        foreach (var batch in batches)
        {
            var result = Measure(model, batch, seconds);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Batch,6} {result.Runs,9} {result.RowsPerSecond,12:F0} {result.P50Microseconds,10:F1} {result.P99Microseconds,10:F1} {result.AllocatedBytesPerRun,12:F2}"));
        }

        Console.WriteLine(JsonSerializer.Serialize(new { benchmark = "raw-onnxruntime", model = Path.GetFullPath(options.Model), runtime = OnnxEnvironment.RuntimeVersion, results }));
        return Task.FromResult(0);
    }

    private static RawResult Measure(OnnxModel model, int batch, double seconds)
    {
        using var context = model.CreateRunContext(batch);
        var random = new Random(42);
        for (var i = 0; i < model.Inputs.Count; i++)
        {
            if (model.Inputs[i].ElementType != TensorElementType.Float)
            {
                throw new InvalidOperationException($"raw: model input '{model.Inputs[i].Name}' is {model.Inputs[i].ElementType}; this benchmark feeds float inputs only");
            }

            var input = context.FloatInput(i, batch);
            for (var j = 0; j < input.Length; j++)
            {
                input[j] = (float)random.NextDouble();
            }
        }

        // Warm-up: creates the per-batch OrtValues and lets ORT settle its arena.
        var warmupEnd = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * Math.Min(1.0, seconds / 4));
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            context.Run(batch);
        }

        var latencies = new long[1 << 22];   // 4 Mi runs: more than a few seconds of batch-1 runs
        var runs = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(Stopwatch.Frequency * seconds);
        long now = start;
        while (now < end && runs < latencies.Length)
        {
            context.Run(batch);
            var after = Stopwatch.GetTimestamp();
            latencies[runs++] = after - now;
            now = after;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var elapsed = (double)(now - start) / Stopwatch.Frequency;
        Array.Sort(latencies, 0, runs);
        return new RawResult(batch, runs, batch * runs / elapsed,
            Percentile(latencies, runs, 50), Percentile(latencies, runs, 99), (double)allocated / runs);
    }

    private static double Percentile(long[] sortedTicks, int count, double percent)
    {
        var index = Math.Clamp((int)Math.Ceiling(percent / 100 * count) - 1, 0, count - 1);
        return sortedTicks[index] * 1e6 / Stopwatch.Frequency;
    }
}
