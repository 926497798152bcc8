using System.Diagnostics;

namespace AiFactory.Benchmarks;

/// <summary>Raw ONNX Runtime: one thread calling Run back to back at a fixed batch size, each Run on the next rows of distinct frames (the copy into the input is counted in throughput, not in the Run latency).</summary>
internal static class OnnxRuntimeBenchmark
{
    public static readonly int[] BatchSizes = [1, 8, 32, 128];

    public static List<Dictionary<string, object>> Run(BenchModel model, double seconds)
    {
        var rows = new List<Dictionary<string, object>>();
        using var context = model.Model.CreateRunContext(BatchSizes[^1]);
        var inputIndex = model.Model.InputNames.ToList().IndexOf(model.Card.Input.Name);
        foreach (var batch in BatchSizes)
        {
            var feeder = new RawFeeder(context, model, inputIndex, batch);
            RunFor(context, feeder, batch, seconds / 4, null);
            // Throughput and allocation without recording (the recorder's growth would count as allocation), then latency.
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var (runs, elapsed) = RunFor(context, feeder, batch, seconds, null);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            var latencies = new Percentiles(1 << 16);
            RunFor(context, feeder, batch, seconds / 2, latencies);
            rows.Add(new Dictionary<string, object>
            {
                ["model"] = model.Card.Name,
                ["batch"] = batch,
                ["inferences_per_s"] = Math.Round(runs * batch / elapsed),
                ["run_p50_us"] = Math.Round(latencies.At(0.5), 1),
                ["run_p99_us"] = Math.Round(latencies.At(0.99), 1),
                ["bytes_per_inference"] = Math.Round((double)allocated / (runs * batch), 2),
            });
        }

        return rows;
    }

    private static (long Runs, double Seconds) RunFor(AiFactory.Onnx.OnnxRunContext context, RawFeeder feeder, int batch, double seconds, Percentiles? latencies)
    {
        var stopwatch = Stopwatch.StartNew();
        var limit = (long)(seconds * Stopwatch.Frequency);
        long runs = 0;
        while (stopwatch.ElapsedTicks < limit)
        {
            feeder.Fill();
            var t0 = Stopwatch.GetTimestamp();
            context.Run(batch);
            latencies?.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            runs++;
        }

        return (runs, stopwatch.Elapsed.TotalSeconds);
    }
}
