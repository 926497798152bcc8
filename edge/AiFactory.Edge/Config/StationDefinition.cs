using AiFactory.Edge.Core.Frames;
using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Config;

/// <summary>A station: its model folder (card read and checked), the tag feeding each card feature, an optional part trigger, and its frame alignment.</summary>
public sealed record StationDefinition(string Name, string ModelFolder, ModelCard Card, IReadOnlyDictionary<string, string> FeatureTags, string? Trigger)
{
    public FrameOptions Frame { get; init; } = Trigger is null ? new FrameOptions() : new FrameOptions { Kind = FrameKind.Part, Trigger = Trigger };
}
