namespace AiFactory.Hub.Live;

/// <summary>A defect or anomaly event as live views show it (the time at millisecond precision, as stored).</summary>
[GenerateSerializer]
[Immutable]
public sealed record LiveEvent(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string PlantId,
    [property: Id(3)] string LineId,
    [property: Id(4)] string StationId,
    [property: Id(5)] DateTimeOffset TimeUtc,
    [property: Id(6)] string Kind,
    [property: Id(7)] double Score,
    [property: Id(8)] string? Class,
    [property: Id(9)] string ModelName,
    [property: Id(10)] string ModelVersion);
