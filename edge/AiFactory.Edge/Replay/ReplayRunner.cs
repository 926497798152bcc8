using System.Diagnostics;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Onnx;

namespace AiFactory.Edge.Replay;

/// <summary>
/// `aifactory-edge replay`: recorded CSVs through the live agent's path (model package, station, DynamicBatcher,
/// ONNX Runtime), one output CSV per input at the same relative path, metrics when the input has labels.
/// </summary>
public static class ReplayRunner
{
    /// <returns>0 on success; 2 when an input or the model is unusable (after replaying everything else).</returns>
    public static async Task<int> RunAsync(ReplayOptions options, TextWriter console, CancellationToken cancellationToken)
    {
        using var environment = OnnxEnvironment.Create();
        await using var package = ModelPackage.Load(options.ModelFolder, environment, new DynamicBatcherOptions
        {
            MaxBatchSize = options.MaxBatch,
            MaxQueueDelayMicroseconds = options.MaxDelayMicroseconds,
            QueueCapacity = Math.Max(4096, options.MaxBatch),
            NonFinite = NonFinitePolicy.Reject,
        });
        var card = package.Card;
        var files = FindInputs(options.Input);
        await console.WriteLineAsync($"replaying {files.Count} file(s) through model '{card.Name}' {card.Version} ({card.Task}); ONNX Runtime {OnnxEnvironment.RuntimeVersion}; batch ≤ {options.MaxBatch}, delay ≤ {options.MaxDelayMicroseconds} µs").ConfigureAwait(false);
        var anomaly = card.IsAnomaly ? new AnomalyReplay(package, console) : null;
        var classification = card.IsClassification ? new ClassificationReplay(package, console) : null;
        var failed = 0;
        long rows = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (path, relative) in files)
        {
            ReplayInput input;
            try
            {
                input = ReplayInput.Open(path, relative, card);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await console.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                failed++;
                continue;
            }

            var output = Path.Combine(options.Output, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            if (anomaly is not null)
            {
                await anomaly.ReplayAsync(input, output, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await classification!.ReplayAsync(input, output, options.Baseline, cancellationToken).ConfigureAwait(false);
            }

            rows += input.Table.Rows.Count;
            if (input.BadValueCount > 0)
            {
                await console.WriteLineAsync($"warning: {relative}: {input.BadValueCount} value(s) were not numbers; those rows were scored with the last good value:").ConfigureAwait(false);
                foreach (var bad in input.BadValues)
                {
                    await console.WriteLineAsync("  " + bad).ConfigureAwait(false);
                }
            }
        }

        if (anomaly is not null)
        {
            await anomaly.PrintMetricsAsync().ConfigureAwait(false);
        }

        var m = package.Batcher.Metrics;
        await console.WriteLineAsync($"{rows} rows in {clock.Elapsed.TotalSeconds:F2} s; {m.BatchesRun} ONNX runs, mean batch {m.MeanBatchSize:F1}, run time p50 {m.RunTime.PercentileMicroseconds(0.5)} µs, p99 {m.RunTime.PercentileMicroseconds(0.99)} µs; outputs in {Path.GetFullPath(options.Output)}").ConfigureAwait(false);
        return failed > 0 ? 2 : 0;
    }

    private static List<(string Path, string Relative)> FindInputs(string input)
    {
        if (File.Exists(input))
        {
            return [(input, Path.GetFileName(input))];
        }

        if (Directory.Exists(input))
        {
            var files = Directory.GetFiles(input, "*.csv", SearchOption.AllDirectories);
            Array.Sort(files, StringComparer.Ordinal);
            if (files.Length == 0)
            {
                throw new FileNotFoundException($"input folder '{input}' holds no .csv file");
            }

            return files.Select(f => (f, Path.GetRelativePath(input, f))).ToList();
        }

        throw new FileNotFoundException($"input '{input}' does not exist (give a CSV file or a folder of CSV files)");
    }
}
