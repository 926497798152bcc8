using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Config;

/// <summary>A station: its model folder (card read and checked), the tag feeding each card feature, and an optional part trigger.</summary>
public sealed record StationDefinition(string Name, string ModelFolder, ModelCard Card, IReadOnlyDictionary<string, string> FeatureTags, string? Trigger);
