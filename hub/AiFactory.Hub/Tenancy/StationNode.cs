namespace AiFactory.Hub.Tenancy;

/// <summary>A station.</summary>
public sealed record StationNode(string Id, string Name);
