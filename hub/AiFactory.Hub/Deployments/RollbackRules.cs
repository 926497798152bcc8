namespace AiFactory.Hub.Deployments;

/// <summary>
/// When the hub rolls a deployment back by itself. Each value is the request's or, where it gave none, the hub's
/// default (<see cref="DeploymentOptions"/>); the latency limit is the card's <c>runtime.latency_p99_ms</c>.
/// </summary>
/// <param name="MinFrames">Frames the candidate must have scored before any rule judges it.</param>
/// <param name="MaxErrorRate">Share of frames it may fail to score.</param>
/// <param name="MaxLatencyP99Ms">Its p99 latency limit in milliseconds; null: none.</param>
/// <param name="MaxDisagreement">Share of frames on which it may disagree with production (shadow).</param>
/// <param name="VerdictRateMin">Lowest share of fail/anomaly verdicts expected; null: production's rate minus the tolerance.</param>
/// <param name="VerdictRateMax">Highest share expected; null: production's rate plus the tolerance.</param>
/// <param name="VerdictRateTolerance">The band's half-width around production's rate where no bound is given.</param>
[GenerateSerializer]
[Immutable]
public sealed record RollbackRules(
    [property: Id(0)] long MinFrames,
    [property: Id(1)] double MaxErrorRate,
    [property: Id(2)] double? MaxLatencyP99Ms,
    [property: Id(3)] double MaxDisagreement,
    [property: Id(4)] double? VerdictRateMin,
    [property: Id(5)] double? VerdictRateMax,
    [property: Id(6)] double VerdictRateTolerance);
