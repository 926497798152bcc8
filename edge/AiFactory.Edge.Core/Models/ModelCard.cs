namespace AiFactory.Edge.Core.Models;

/// <summary>The machine-readable model card (<c>card.yaml</c>), as models/CARD-FORMAT.md defines it.</summary>
public sealed class ModelCard
{
    public string Name { get; set; } = string.Empty;

    public string Version { get; set; } = string.Empty;

    /// <summary><c>anomaly</c> or <c>classification</c>.</summary>
    public string Task { get; set; } = string.Empty;

    public string Onnx { get; set; } = string.Empty;

    public CardInput Input { get; set; } = new();

    public CardNormalisation Normalisation { get; set; } = new();

    public CardCalibration? Calibration { get; set; }

    public CardPostprocess? Postprocess { get; set; }

    public CardOutput Output { get; set; } = new();

    public CardLabels? Labels { get; set; }

    public Dictionary<string, object>? Training { get; set; }

    public Dictionary<string, object>? Metrics { get; set; }

    public CardEvaluation? Evaluation { get; set; }

    public CardRuntime Runtime { get; set; } = new();

    /// <summary>The folder the card was read from (not part of the YAML).</summary>
    public string Folder { get; set; } = string.Empty;

    public bool IsAnomaly => Task == TaskAnomaly;

    public bool IsClassification => Task == TaskClassification;

    public int FrameLength => Input.Window * Input.Features.Count;

    public string OnnxPath => Path.Combine(Folder, Onnx);

    public string CardPath => Path.Combine(Folder, "card.yaml");

    public const string TaskAnomaly = "anomaly";

    public const string TaskClassification = "classification";
}
