namespace AiFactory.Hub.Tenancy;

/// <summary>A company with its plants, lines and stations.</summary>
public sealed record CompanyTree(string Id, string Name, IReadOnlyList<PlantNode> Plants);
