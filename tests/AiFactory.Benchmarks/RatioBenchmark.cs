using System.Diagnostics;

namespace AiFactory.Benchmarks;

/// <summary>
/// The ratio targets measured in alternating rounds, so that load from other processes on a shared machine
/// falls on both sides of each ratio: per round, raw ONNX Runtime at batch 1 and 128 (the better is "best"), the
/// DynamicBatcher with 256 single-frame producers and with 2 producers of 128 frames per SubmitManyAsync, and the
/// Node.js one-message-at-a-time peer. Reports every round and the median of each ratio.
/// </summary>
internal static class RatioBenchmark
{
    public static async Task<Dictionary<string, object>> RunAsync(BenchModel model, int rounds, double seconds)
    {
        var rows = new List<Dictionary<string, object>>();
        using var context = model.Model.CreateRunContext(128);
        var inputIndex = model.Model.Inputs.ToList().FindIndex(i => i.Name == model.Card.Input.Name);
        var input = context.FloatInput(inputIndex, 128);
        for (var r = 0; r < 128; r++)
        {
            model.Frames[r % model.Frames.Length].CopyTo(input.Slice(r * model.Card.FrameLength, model.Card.FrameLength));
        }

        for (var round = 0; round < rounds; round++)
        {
            var raw1 = Raw(context, 1, seconds);
            var raw128 = Raw(context, 128, seconds);
            var single = Rate(await DynamicBatcherBenchmark.RunProducersAsync(model, 256, 128, 500, seconds));
            var multi = Rate([await DynamicBatcherBenchmark.RunBulkProducersAsync(model, 2, 128, 128, 500, seconds)]);
            var node = (await NodePeerBenchmark.RunAsync(model, seconds)).GetValueOrDefault("inferences_per_s") is double n ? n : double.NaN;
            var best = Math.Max(raw1, raw128);
            rows.Add(new Dictionary<string, object>
            {
                ["round"] = round + 1,
                ["raw_batch1_per_s"] = Math.Round(raw1),
                ["raw_batch128_per_s"] = Math.Round(raw128),
                ["batcher_single_frame_256_producers_per_s"] = Math.Round(single),
                ["batcher_multi_frame_2x128_per_s"] = Math.Round(multi),
                ["node_per_s"] = Math.Round(node),
                ["single_frame_of_raw_best"] = Math.Round(single / best, 3),
                ["multi_frame_of_raw_best"] = Math.Round(multi / best, 3),
                ["multi_frame_over_node"] = Math.Round(multi / node, 2),
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
            ["median_multi_frame_over_node"] = Median(rows, "multi_frame_over_node"),
            ["median_raw_best_over_node"] = Median(rows, "raw_best_over_node"),
        };
    }

    private static double Rate(List<Dictionary<string, object>> rows) => Convert.ToDouble(rows[0]["inferences_per_s"], System.Globalization.CultureInfo.InvariantCulture);

    private static double Median(List<Dictionary<string, object>> rows, string key)
    {
        var values = rows.Select(r => (double)r[key]).Order().ToArray();
        return values[values.Length / 2];
    }

    private static double Raw(AiFactory.Onnx.OnnxRunContext context, int batch, double seconds)
    {
        context.Run(batch);
        var stopwatch = Stopwatch.StartNew();
        var limit = (long)(seconds * Stopwatch.Frequency);
        long runs = 0;
        while (stopwatch.ElapsedTicks < limit)
        {
            context.Run(batch);
            runs++;
        }

        return runs * batch / stopwatch.Elapsed.TotalSeconds;
    }
}
