using System.Globalization;
using System.Security.Cryptography;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Replay;

/// <summary>Replays files through a classifier station, writes class and per-class probabilities per row, and scores against one-hot labels.</summary>
public sealed class ClassificationReplay(ModelPackage package, TextWriter console)
{
    public (double Accuracy, double MacroF1, int Rows)? Score { get; private set; }

    public async Task ReplayAsync(ReplayInput input, string outputPath, bool runBaseline, CancellationToken cancellationToken)
    {
        var card = package.Card;
        var rows = input.Table.Rows;
        var results = new ClassificationResult[rows.Count];
        var station = new ClassifierStation(input.RelativePath, card, package.Batcher, r => results[r.Index] = r);
        for (var i = 0; i < rows.Count; i++)
        {
            await station.AddAsync(DateTimeOffset.UnixEpoch, input.Values(rows[i]), cancellationToken).ConfigureAwait(false);
        }

        await station.FlushAsync().ConfigureAwait(false);
        await using (var writer = new StreamWriter(outputPath))
        {
            await writer.WriteLineAsync("class," + string.Join(',', card.Output.Classes)).ConfigureAwait(false);
            foreach (var r in results)
            {
                var probabilities = string.Join(',', r.Probabilities.Select(p => p.ToString("R", CultureInfo.InvariantCulture)));
                await writer.WriteLineAsync($"{(r.Error is null ? r.ClassName : "error")},{probabilities}").ConfigureAwait(false);
            }
        }

        var labelColumns = card.Labels?.ClassColumns.Select(input.Table.Column).ToArray() ?? [];
        if (labelColumns.Length != card.Output.Classes.Count || labelColumns.Any(c => c is null))
        {
            return;
        }

        var (scored, which) = RowsToScore(input.Table.Path, rows.Count);
        var truth = new List<int>();
        var predicted = new List<int>();
        foreach (var i in scored)
        {
            var label = Array.FindIndex(labelColumns, c => rows[i].Field(c!.Value) is "1" or "1.0");
            if (label >= 0)
            {
                truth.Add(label);
                predicted.Add(results[i].ClassIndex);
            }
        }

        var (accuracy, macroF1) = ClassificationScore.Of(truth, predicted, card.Output.Classes.Count);
        Score = (accuracy, macroF1, truth.Count);
        await console.WriteLineAsync($"{input.RelativePath}: scored {which}").ConfigureAwait(false);
        await console.WriteLineAsync($"{"model",-62} {"accuracy",9} {"macro-F1",9}").ConfigureAwait(false);
        await console.WriteLineAsync($"{$"{card.Name} {card.Version} (edge, ONNX Runtime)",-62} {accuracy,9:F4} {macroF1,9:F4}").ConfigureAwait(false);
        if (runBaseline && card.Evaluation?.Baseline is { Length: > 0 } script && which.StartsWith("the card's", StringComparison.Ordinal))
        {
            var baseline = await BaselineRunner.RunAsync(Path.Combine(card.Folder, script), input.Table.Path, card.CardPath, console, cancellationToken).ConfigureAwait(false);
            if (baseline is { } b)
            {
                await console.WriteLineAsync($"{b.Name + " (same split, this run)",-62} {b.Accuracy,9:F4} {b.MacroF1,9:F4}").ConfigureAwait(false);
            }
        }
    }

    private (IReadOnlyList<int> Rows, string Which) RowsToScore(string path, int count)
    {
        var evaluation = package.Card.Evaluation;
        if (evaluation is { HoldoutRows.Count: > 0, DataSha256: { Length: > 0 } expected })
        {
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual == expected && evaluation.HoldoutRows.All(r => r < count))
            {
                return (evaluation.HoldoutRows, $"the card's {evaluation.HoldoutRows.Count} hold-out rows (never used in training)");
            }
        }

        return (Enumerable.Range(0, count).ToArray(), $"all {count} rows (this file is not the card's evaluation data, so no hold-out split applies)");
    }
}
