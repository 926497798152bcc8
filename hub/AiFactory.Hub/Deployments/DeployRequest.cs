namespace AiFactory.Hub.Deployments;

/// <summary>Body of <c>POST …/deployments</c>.</summary>
/// <param name="PackageId">The package; or <paramref name="Model"/> and <paramref name="Version"/>.</param>
/// <param name="Model">The model's name (with <paramref name="Version"/>).</param>
/// <param name="Version">The card's version (with <paramref name="Model"/>).</param>
/// <param name="Targets">Plants, lines and stations: <c>plant</c>, <c>plant/line</c>, <c>plant/line/station</c>.</param>
/// <param name="Strategy"><c>shadow</c>, <c>canary</c> or <c>full</c>.</param>
/// <param name="Share">Canary only: the share of the targets' stations that run the candidate (0 &lt; share ≤ 1).</param>
/// <param name="Rules">Rollback rules overriding the hub's defaults.</param>
public sealed record DeployRequest(
    string? PackageId, string? Model, string? Version, IReadOnlyList<string>? Targets, string? Strategy, double? Share, RulesRequest? Rules);
