using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Config;

/// <summary>A station: its model folder (card read and checked), the tag feeding each card feature, and an optional part trigger.</summary>
public sealed record StationDefinition(string Name, string ModelFolder, ModelCard Card, IReadOnlyDictionary<string, string> FeatureTags, string? Trigger)
{
    /// <summary>How the station's tags align into frames (maximum skew, missing-tag policy, staleness).</summary>
    public AiFactory.Edge.Core.Stations.AlignmentOptions Alignment { get; init; } = new();

    /// <summary>Per-sample anomaly stations: score every N-th sliding window (1 = every sample).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>The station's configuration text and its model files' identity: equal fingerprints mean an unchanged station on reload.</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary>The hub's package the station runs as production (<see cref="ModelFolder"/> is its verified folder); null: the configured model.</summary>
    public string? PackageId { get; init; }

    /// <summary>A candidate scoring the same frames in the model's shadow: its verified folder; its verdicts are recorded, never acted on.</summary>
    public string? ShadowFolder { get; init; }

    /// <summary>The shadow candidate's package id.</summary>
    public string? ShadowPackageId { get; init; }

    /// <summary>The tags feeding the card's features, in feature order.</summary>
    public IReadOnlyList<string> OrderedTags => Card.Input.Features.Select(f => FeatureTags[f]).ToArray();
}
