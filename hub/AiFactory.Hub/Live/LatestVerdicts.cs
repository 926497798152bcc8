namespace AiFactory.Hub.Live;

/// <summary>The verdicts of a scope's latest minute with frames.</summary>
[GenerateSerializer]
[Immutable]
public sealed record LatestVerdicts(
    [property: Id(0)] DateTimeOffset MinuteUtc,
    [property: Id(1)] long Frames,
    [property: Id(2)] long Pass,
    [property: Id(3)] long Fail,
    [property: Id(4)] long Anomalies);
