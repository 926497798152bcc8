using System.Diagnostics;

namespace AiFactory.Benchmarks;

/// <summary>
/// The ratio targets measured in alternating rounds, so that load from other processes on a shared machine
/// falls on both sides of each ratio: per round, raw ONNX Runtime at batch 1, 8, 32 and 128 (the best is "best"), the
/// DynamicBatcher with 256 single-frame producers and with 2 producers of 128 frames per SubmitManyAsync, and the
/// Node.js one-message-at-a-time peer. Reports every round and the median of each ratio.
/// </summary>
internal static class RatioBenchmark
{
    public static async Task<Dictionary<string, object>> RunAsync(BenchModel model, int rounds, double seconds)
    {
        var rows = new List<Dictionary<string, object>>();
        using var context = model.Model.CreateRunContext(128);
        var inputIndex = model.Model.InputNames.ToList().IndexOf(model.Card.Input.Name);
        for (var round = 0; round < rounds; round++)
        {
            var raw1 = Raw(context, model, inputIndex, 1, seconds);
            var raw8 = Raw(context, model, inputIndex, 8, seconds);
            var raw32 = Raw(context, model, inputIndex, 32, seconds);
            var raw128 = Raw(context, model, inputIndex, 128, seconds);
            var node = (await NodePeerBenchmark.RunAsync(model, seconds)).GetValueOrDefault("inferences_per_s") is double n ? n : double.NaN;
            var best = Math.Max(Math.Max(raw1, raw8), Math.Max(raw32, raw128));
            // The batchers run at the batch size raw ONNX Runtime liked best in this round (a tree ensemble may prefer 8, a network 128).
            var bestBatch = best == raw1 ? 1 : best == raw8 ? 8 : best == raw32 ? 32 : 128;
            var single = Rate(await DynamicBatcherBenchmark.RunProducersAsync(model, 256, bestBatch, 500, seconds));
            var multi = Rate([await DynamicBatcherBenchmark.RunBulkProducersAsync(model, 2, 128, bestBatch, 500, seconds)]);
            var singleInline = Rate(await DynamicBatcherBenchmark.RunProducersAsync(model, 256, bestBatch, 500, seconds, inline: true));
            var multiInline = Rate([await DynamicBatcherBenchmark.RunBulkProducersAsync(model, 2, 128, bestBatch, 500, seconds, inline: true)]);

            rows.Add(new Dictionary<string, object>
            {
                ["round"] = round + 1,
                ["raw_batch1_per_s"] = Math.Round(raw1),
                ["best_batch"] = bestBatch,
                ["raw_batch8_per_s"] = Math.Round(raw8),
                ["raw_batch32_per_s"] = Math.Round(raw32),
                ["raw_batch128_per_s"] = Math.Round(raw128),
                ["batcher_single_frame_256_producers_per_s"] = Math.Round(single),
                ["batcher_multi_frame_2x128_per_s"] = Math.Round(multi),
                ["batcher_single_frame_256_producers_inline_per_s"] = Math.Round(singleInline),
                ["batcher_multi_frame_2x128_inline_per_s"] = Math.Round(multiInline),
                ["node_per_s"] = Math.Round(node),
                ["single_frame_of_raw_best"] = Math.Round(single / best, 3),
                ["multi_frame_of_raw_best"] = Math.Round(multi / best, 3),
                ["single_frame_inline_of_raw_best"] = Math.Round(singleInline / best, 3),
                ["multi_frame_inline_of_raw_best"] = Math.Round(multiInline / best, 3),
                ["multi_frame_over_node"] = Math.Round(multi / node, 2),
                ["multi_frame_inline_over_node"] = Math.Round(multiInline / node, 2),
                ["single_frame_inline_over_node"] = Math.Round(singleInline / node, 2),
                ["raw_best_over_node"] = Math.Round(best / node, 2),
            });
            Console.WriteLine(string.Join("  ", rows[^1].Select(kv => $"{kv.Key}={kv.Value}")));
        }

        return new Dictionary<string, object>
        {
            ["model"] = model.Card.Name,
            ["rounds"] = rows,
            ["median_single_frame_of_raw_best"] = Median(rows, "single_frame_of_raw_best"),
            ["median_multi_frame_of_raw_best"] = Median(rows, "multi_frame_of_raw_best"),
            ["median_single_frame_inline_of_raw_best"] = Median(rows, "single_frame_inline_of_raw_best"),
            ["median_multi_frame_inline_of_raw_best"] = Median(rows, "multi_frame_inline_of_raw_best"),
            ["median_multi_frame_over_node"] = Median(rows, "multi_frame_over_node"),
            ["median_multi_frame_inline_over_node"] = Median(rows, "multi_frame_inline_over_node"),
            ["median_single_frame_inline_over_node"] = Median(rows, "single_frame_inline_over_node"),
            ["median_raw_best_over_node"] = Median(rows, "raw_best_over_node"),
        };
    }

    private static double Rate(List<Dictionary<string, object>> rows) => Convert.ToDouble(rows[0]["inferences_per_s"], System.Globalization.CultureInfo.InvariantCulture);

    private static double Median(List<Dictionary<string, object>> rows, string key)
    {
        var values = rows.Select(r => (double)r[key]).Order().ToArray();
        return values[values.Length / 2];
    }

    /// <summary>
    /// Run back to back at <paramref name="batch"/>, each Run on the next rows of the model's 1,024 distinct frames,
    /// copied into the input first as any real caller must: re-running the same rows lets the CPU's branch predictor
    /// learn a tree ensemble's paths, which makes small batches look far faster than live data would.
    /// </summary>
    private static double Raw(AiFactory.Onnx.OnnxRunContext context, BenchModel model, int inputIndex, int batch, double seconds)
    {
        var feeder = new RawFeeder(context, model, inputIndex, batch);
        feeder.Fill();
        context.Run(batch);
        var stopwatch = Stopwatch.StartNew();
        var limit = (long)(seconds * Stopwatch.Frequency);
        long runs = 0;
        while (stopwatch.ElapsedTicks < limit)
        {
            feeder.Fill();
            context.Run(batch);
            runs++;
        }

        return runs * batch / stopwatch.Elapsed.TotalSeconds;
    }
}
