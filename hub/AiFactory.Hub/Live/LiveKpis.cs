namespace AiFactory.Hub.Live;

/// <summary>The rolling 1-minute, 15-minute and 1-hour KPIs of a scope.</summary>
[GenerateSerializer]
[Immutable]
public sealed record LiveKpis(
    [property: Id(0)] LiveKpi OneMinute,
    [property: Id(1)] LiveKpi FifteenMinutes,
    [property: Id(2)] LiveKpi OneHour);
