using System.Text.Json;

namespace AiFactory.Edge.Core.Models;

/// <summary>
/// Runs a package's <c>reference.json</c> inputs through its DynamicBatcher and compares the outputs with the ones the
/// training script recorded: the hub's check on upload, and the edge's warm-up before a model may score a line's frames.
/// </summary>
public static class ReferenceCheck
{
    /// <summary>Scores and probabilities may differ from the reference by this much (ONNX Runtime vs the Python model).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>At most this many rows are named in the answer; the count says how many differ in all.</summary>
    private const int RowsNamed = 5;

    /// <summary>
    /// Answers every problem, each naming <paramref name="what"/> (e.g. "reference.json"), the row and the values; empty
    /// when the model reproduces its reference. A file that cannot be read is one problem, not an exception.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(ModelPackage package, byte[] referenceJson, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        float[][] inputs;
        JsonElement outputs;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(referenceJson);
            inputs = document.RootElement.GetProperty("inputs").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
            outputs = document.RootElement.GetProperty("outputs");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return [$"{what}: not a reference file ({{\"inputs\": [[…]], \"outputs\": {{…}}}}): {ex.Message}"];
        }

        using (document)
        {
            var card = package.Card;
            if (inputs.Length == 0)
            {
                return [$"{what}: inputs is empty; the check needs at least one row"];
            }

            if (inputs.FirstOrDefault(r => r.Length != card.FrameLength) is { } wrong)
            {
                return [$"{what}: a row of inputs has {wrong.Length} values; the card's window × features is {card.FrameLength}"];
            }

            var results = inputs.Select(_ => new float[package.Batcher.ResultLength]).ToArray();
            try
            {
                await Task.WhenAll(inputs.Select((frame, i) => package.Batcher.SubmitAsync(frame, results[i], ct).AsTask())).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return [$"{what}: model '{card.Name}' failed to score the reference inputs: {ex.Message}"];
            }

            try
            {
                return Compare(card, inputs.Length, outputs, results, what);
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
            {
                return [$"{what}: outputs do not match the card's task '{card.Task}' (anomaly: outputs.score[row]; classification: outputs.label[row] and outputs.probabilities[row][class]): {ex.Message}"];
            }
        }
    }

    private static List<string> Compare(ModelCard card, int rows, JsonElement outputs, float[][] results, string what)
    {
        var problems = new List<string>();
        var differing = 0;
        for (var i = 0; i < rows; i++)
        {
            string? problem = null;
            if (card.IsAnomaly)
            {
                var expected = outputs.GetProperty("score")[i].GetDouble();
                if (!(Math.Abs(expected - results[i][0]) <= Tolerance))
                {
                    problem = $"row {i}: score {results[i][0]} vs reference {expected}";
                }
            }
            else
            {
                var hasLabel = card.Output.Label is { Length: > 0 };
                if (hasLabel && outputs.GetProperty("label")[i].GetInt64() is var label && label != (long)results[i][0])
                {
                    problem = $"row {i}: label {(long)results[i][0]} vs reference {label}";
                }

                var probabilities = outputs.GetProperty("probabilities")[i];
                var offset = hasLabel ? 1 : 0;
                for (var c = 0; problem is null && c < card.Output.Classes.Count; c++)
                {
                    var expected = probabilities[c].GetDouble();
                    if (!(Math.Abs(expected - results[i][offset + c]) <= Tolerance))
                    {
                        problem = $"row {i} class '{card.Output.Classes[c]}': probability {results[i][offset + c]} vs reference {expected}";
                    }
                }
            }

            if (problem is not null && ++differing <= RowsNamed)
            {
                problems.Add(problem);
            }
        }

        return differing == 0
            ? []
            : [$"{what}: model '{card.Name}' {card.Version} does not reproduce its reference outputs within {Tolerance} on {differing} of {rows} rows: {string.Join("; ", problems)}"];
    }
}
