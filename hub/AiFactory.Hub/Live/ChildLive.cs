namespace AiFactory.Hub.Live;

/// <summary>One child of a live view (a line's station, a plant's line, a company's plant).</summary>
[GenerateSerializer]
[Immutable]
public sealed record ChildLive(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] LatestVerdicts? Latest,
    [property: Id(3)] LiveKpi OneMinute,
    [property: Id(4)] LiveKpi OneHour);
