namespace AiFactory.Hub.Tenancy;

/// <summary>A plant and its lines.</summary>
public sealed record PlantNode(string Id, string Name, IReadOnlyList<LineNode> Lines);
