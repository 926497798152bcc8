namespace AiFactory.Hub.Deployments;

/// <summary>Rollback rules a deployment request may set; each one left out is the hub's default (<see cref="DeploymentOptions"/>).</summary>
public sealed record RulesRequest(
    long? MinFrames, double? MaxErrorRate, double? MaxLatencyP99Ms, double? MaxDisagreement, double? VerdictRateMin, double? VerdictRateMax, double? VerdictRateTolerance);
