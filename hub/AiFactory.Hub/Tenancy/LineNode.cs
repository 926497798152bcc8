namespace AiFactory.Hub.Tenancy;

/// <summary>A line and its stations.</summary>
public sealed record LineNode(string Id, string Name, IReadOnlyList<StationNode> Stations);
