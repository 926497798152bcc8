using AiFactory.Contracts;
using AiFactory.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AiFactory.Edge.Core.Models;

/// <summary>Reads and checks <c>card.yaml</c>: alone, and against the ONNX graph it describes.</summary>
public static class ModelCardReader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Reads <c>&lt;folder&gt;/card.yaml</c>; throws <see cref="ModelCardException"/> listing every problem.</summary>
    public static ModelCard Read(string folder)
    {
        var path = Path.Combine(folder, "card.yaml");
        if (!Directory.Exists(folder))
        {
            throw new ModelCardException([$"{folder}: model folder does not exist (expected a folder holding card.yaml and the .onnx file)"]);
        }

        if (!File.Exists(path))
        {
            throw new ModelCardException([$"{path}: model card is missing (every model folder needs card.yaml, see models/CARD-FORMAT.md)"]);
        }

        ModelCard? card;
        try
        {
            card = Yaml.Deserialize<ModelCard>(File.ReadAllText(path));
        }
        catch (YamlException ex)
        {
            var where = ex.Start.Line > 0 ? $" (line {ex.Start.Line}, column {ex.Start.Column})" : string.Empty;
            throw new ModelCardException([$"{path}{where}: not a valid model card: {(ex.InnerException ?? ex).Message}"]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, without a position, for some malformed documents and tags (found by fuzzing).
            throw new ModelCardException([$"{path}: not a valid model card: the YAML parser stopped ({ex.Message})"]);
        }

        if (card is null)
        {
            throw new ModelCardException([$"{path}: the file is empty"]);
        }

        card.Folder = Path.GetFullPath(folder);
        var problems = MissingSections(card, path) ?? Check(card, path);
        if (problems.Count > 0)
        {
            throw new ModelCardException(problems);
        }

        return card;
    }

    /// <summary>
    /// Checks that the card and the graph agree, reading the names, element types and shapes from the session's
    /// metadata; throws <see cref="ModelCardException"/> naming the model and each disagreement.
    /// </summary>
    public static void CheckAgainst(ModelCard card, OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        var prefix = $"model '{card.Name}' ({card.CardPath} vs {card.Onnx})";
        if (!model.InputMetadata.TryGetValue(card.Input.Name, out var input))
        {
            problems.Add($"{prefix}: input.name '{card.Input.Name}' is not a graph input (the graph has: {string.Join(", ", model.InputNames)})");
        }
        else if (!input.IsTensor || input.ElementDataType != TensorElementType.Float)
        {
            problems.Add($"{prefix}: input '{card.Input.Name}' is {ElementType(input)} in the graph, the card says float32");
        }
        else if (input.ElementsPerRow() != card.FrameLength)
        {
            problems.Add($"{prefix}: input '{card.Input.Name}' takes {input.ElementsPerRow()} values per row in the graph, the card's window × features is {card.Input.Window} × {card.Input.Features.Count} = {card.FrameLength}");
        }

        if (card.IsAnomaly)
        {
            ExpectOutput(problems, prefix, model, "output.score", card.Output.Score, TensorElementType.Float, 1);
        }
        else if (card.IsClassification)
        {
            ExpectOutput(problems, prefix, model, "output.probabilities", card.Output.Probabilities, TensorElementType.Float, card.Output.Classes.Count);
            if (card.Output.Label is { Length: > 0 })
            {
                ExpectOutput(problems, prefix, model, "output.label", card.Output.Label, TensorElementType.Int64, 1);
            }
        }

        if (problems.Count > 0)
        {
            throw new ModelCardException(problems);
        }
    }

    private static void ExpectOutput(List<string> problems, string prefix, OnnxModel model, string key, string? name, TensorElementType type, int width)
    {
        if (!model.OutputMetadata.TryGetValue(name ?? string.Empty, out var output))
        {
            problems.Add($"{prefix}: {key} '{name}' is not a graph output (the graph has: {string.Join(", ", model.OutputNames)})");
        }
        else if (!output.IsTensor || output.ElementDataType != type)
        {
            problems.Add($"{prefix}: output '{name}' is {ElementType(output)} in the graph, {key} must be {type}");
        }
        else if (output.ElementsPerRow() != width)
        {
            problems.Add($"{prefix}: output '{name}' has {output.ElementsPerRow()} values per row in the graph, the card expects {width}");
        }
    }

    /// <summary>A tensor's element type, or what the value is instead (a ZipMap output is a sequence of maps).</summary>
    private static string ElementType(NodeMetadata metadata) => metadata.IsTensor ? metadata.ElementDataType.ToString() : metadata.OnnxValueType.ToString();

    /// <summary>
    /// YAML sets a field to null for "key: ~", "key:" or a tagged empty value ("output: !x"): such a card names what is
    /// missing instead of crashing the checks below (found by fuzzing the card reader).
    /// </summary>
    private static List<string>? MissingSections(ModelCard card, string path)
    {
        (string Key, bool Missing)[] required =
        [
            ("name", card.Name is null), ("version", card.Version is null), ("task", card.Task is null), ("onnx", card.Onnx is null),
            ("input", card.Input is null), ("input.name", card.Input?.Name is null), ("input.dtype", card.Input?.Dtype is null), ("input.features", card.Input is { Features: null } || card.Input?.Features?.Contains(null!) == true),
            ("calibration.threshold", card.Calibration is { Threshold: null }), ("calibration.threshold.method", card.Calibration?.Threshold is { Method: null }),
            ("normalisation", card.Normalisation is null), ("normalisation.kind", card.Normalisation is { Kind: null }), ("normalisation.mean", card.Normalisation is { Mean: null }), ("normalisation.std", card.Normalisation is { Std: null }),
            ("output", card.Output is null), ("output.classes", card.Output is { Classes: null } || card.Output?.Classes?.Contains(null!) == true),
        ];
        var missing = required.Where(r => r.Missing).Select(r => $"{path}: {r.Key}: is empty; it needs a value (see models/CARD-FORMAT.md)").ToList();
        return missing.Count > 0 ? missing : null;
    }

    private static List<string> Check(ModelCard card, string path)
    {
        var p = new List<string>();
        void Problem(string key, string message) => p.Add($"{path}: {key}: {message}");

        if (!EntityId.IsValid(card.Name))
        {
            Problem("name", $"{EntityId.Explain(card.Name)} (e.g. pump-anomaly)");
        }

        if (string.IsNullOrWhiteSpace(card.Version))
        {
            Problem("version", "is required (semantic version, e.g. 1.0.0)");
        }
        else if (card.Version.Length > 64 || ControlCharacters.Any(card.Version))
        {
            Problem("version", $"'{ControlCharacters.Escape(card.Version)}' must be at most 64 characters without control characters (semantic version, e.g. 1.0.0)");
        }

        if (!card.IsAnomaly && !card.IsClassification)
        {
            Problem("task", $"'{card.Task}' must be 'anomaly' or 'classification'");
        }

        if (string.IsNullOrWhiteSpace(card.Onnx))
        {
            Problem("onnx", "is required: the .onnx file next to card.yaml");
        }
        else if (!File.Exists(card.OnnxPath))
        {
            Problem("onnx", $"'{card.Onnx}' does not exist next to card.yaml");
        }

        if (string.IsNullOrWhiteSpace(card.Input.Name))
        {
            Problem("input.name", "is required: the graph's input name");
        }

        if (card.Input.Dtype != "float32")
        {
            Problem("input.dtype", $"'{card.Input.Dtype}' is not supported; only float32");
        }

        if (card.Input.Features.Count == 0)
        {
            Problem("input.features", "must list at least one feature (tag or CSV column names, in graph order)");
        }

        if (card.Input.Features.Distinct(StringComparer.Ordinal).Count() != card.Input.Features.Count)
        {
            Problem("input.features", "lists a feature twice");
        }

        if (card.Input.Window < 1)
        {
            Problem("input.window", $"must be ≥ 1 (was {card.Input.Window})");
        }

        if (card.Runtime.LatencyP99Ms is { } limit && !(limit > 0 && limit <= 60_000))
        {
            Problem("runtime.latency_p99_ms", $"must be above 0 and at most 60000 milliseconds (was {limit})");
        }

        if (card.Runtime.IntraOpThreads is < 0 or > CardRuntime.MaxIntraOpThreads)
        {
            Problem("runtime.intra_op_threads", $"must be 0 (ONNX Runtime's default: one per physical core) to {CardRuntime.MaxIntraOpThreads} (was {card.Runtime.IntraOpThreads})");
        }

        CheckNormalisation(card, Problem);
        if (card.IsAnomaly)
        {
            CheckAnomaly(card, Problem);
        }

        if (card.IsClassification && card.Output.Classes.Count < 2)
        {
            Problem("output.classes", "a classifier needs at least two class names, in probability-column order");
        }

        if (card.IsClassification && string.IsNullOrWhiteSpace(card.Output.Probabilities))
        {
            Problem("output.probabilities", "is required for a classifier: the float32 [batch, classes] output");
        }

        return p;
    }

    private static void CheckNormalisation(ModelCard card, Action<string, string> problem)
    {
        var n = card.Normalisation;
        switch (n.Kind)
        {
            case "none":
                break;
            case "per_asset":
                if (card.Calibration is null or { Samples: < 2 })
                {
                    problem("normalisation.kind", "per_asset needs calibration.samples ≥ 2 to compute each asset's mean and std");
                }

                break;
            case "fixed":
                if (n.Mean.Count != card.Input.Features.Count || n.Std.Count != card.Input.Features.Count)
                {
                    problem("normalisation", $"fixed needs mean and std with one value per feature ({card.Input.Features.Count}); got {n.Mean.Count} and {n.Std.Count}");
                }

                break;
            default:
                problem("normalisation.kind", $"'{n.Kind}' must be per_asset, fixed or none");
                break;
        }

        if (n.StdFloor <= 0)
        {
            problem("normalisation.std_floor", $"must be > 0 (was {n.StdFloor})");
        }
    }

    private static void CheckAnomaly(ModelCard card, Action<string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(card.Output.Score))
        {
            problem("output.score", "is required for an anomaly model: the float32 score output");
        }

        if (card.Calibration is null)
        {
            problem("calibration", "is required for an anomaly model: samples and threshold");
            return;
        }

        if (card.Calibration.Samples < 2)
        {
            problem("calibration.samples", $"must be ≥ 2 (was {card.Calibration.Samples})");
        }

        var t = card.Calibration.Threshold;
        if (t.Method == "quantile" && t.Quantile is < 0 or > 1)
        {
            problem("calibration.threshold.quantile", $"must be within 0..1 (was {t.Quantile})");
        }
        else if (t.Method is not ("quantile" or "mean_std"))
        {
            problem("calibration.threshold.method", $"'{t.Method}' must be quantile or mean_std");
        }

        if (t.Floor is { } floor && !double.IsFinite(floor))
        {
            problem("calibration.threshold.floor", $"must be a finite number (was {floor})");
        }

        var post = card.Postprocess ?? new CardPostprocess();
        if (post.Smoothing is not ("none" or "rolling_mean" or "ema"))
        {
            problem("postprocess.smoothing", $"'{post.Smoothing}' must be none, rolling_mean or ema");
        }
        else if (post.Smoothing == "rolling_mean" && post.Window < 1)
        {
            problem("postprocess.window", $"must be ≥ 1 (was {post.Window})");
        }
        else if (post.Smoothing == "ema" && post.Alpha is <= 0 or > 1)
        {
            problem("postprocess.alpha", $"must be within (0, 1] for ema (was {post.Alpha})");
        }
    }
}
