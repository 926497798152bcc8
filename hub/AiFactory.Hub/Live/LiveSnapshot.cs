namespace AiFactory.Hub.Live;

/// <summary>
/// The live state of a line, plant or company as its grain holds it: status, rolling KPIs, the children, the latest
/// verdicts and events, and (plants and companies) the edges online. What a live view receives.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record LiveSnapshot(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] string? PlantId,
    [property: Id(2)] string? LineId,
    [property: Id(3)] DateTimeOffset AtUtc,
    [property: Id(4)] string Status,
    [property: Id(5)] LiveKpis Kpis,
    [property: Id(6)] LatestVerdicts? Latest,
    [property: Id(7)] IReadOnlyList<ChildLive> Children,
    [property: Id(8)] IReadOnlyList<LiveEvent> Events,
    [property: Id(9)] IReadOnlyList<EdgeLive> Edges,
    [property: Id(10)] int EdgesOnline,
    [property: Id(11)] int EdgesTotal);
