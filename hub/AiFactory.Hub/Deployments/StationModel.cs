namespace AiFactory.Hub.Deployments;

/// <summary>The package a promoted deployment made production at a station, and the one before it (null: the edge's configured model).</summary>
[GenerateSerializer]
[Immutable]
public sealed record StationModel(
    [property: Id(0)] string Station,
    [property: Id(1)] string ModelName,
    [property: Id(2)] string PackageId,
    [property: Id(3)] string? PreviousPackageId,
    [property: Id(4)] string DeploymentId);
