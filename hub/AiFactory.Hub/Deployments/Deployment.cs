namespace AiFactory.Hub.Deployments;

/// <summary>One assignment of a package to stations, and what became of it.</summary>
/// <param name="Id">Its id (time, then random digits).</param>
/// <param name="ModelName">The model.</param>
/// <param name="PackageId">The candidate package.</param>
/// <param name="Version">Its version.</param>
/// <param name="Strategy"><c>shadow</c>, <c>canary</c> or <c>full</c>.</param>
/// <param name="Share">Canary: the share of the target stations that run the candidate; otherwise 1.</param>
/// <param name="Targets">The plants, lines and stations named (<c>plant</c>, <c>plant/line</c>, <c>plant/line/station</c>).</param>
/// <param name="Stations">The stations it touches (<c>plant/line/station</c>): shadow, all targets; canary, the chosen share; full, all.</param>
/// <param name="Rules">Its automatic rollback rules.</param>
/// <param name="State"><c>active</c> (shadow or canary running), <c>promoted</c> (production on its targets) or <c>rolled-back</c>.</param>
/// <param name="Reason">Why it was rolled back (who, or which rule and figures).</param>
/// <param name="CreatedUtc">When it started.</param>
/// <param name="CreatedBy">Who started it.</param>
/// <param name="EndedUtc">When it was promoted or rolled back.</param>
[GenerateSerializer]
[Immutable]
public sealed record Deployment(
    [property: Id(0)] string Id,
    [property: Id(1)] string ModelName,
    [property: Id(2)] string PackageId,
    [property: Id(3)] string Version,
    [property: Id(4)] string Strategy,
    [property: Id(5)] double Share,
    [property: Id(6)] IReadOnlyList<string> Targets,
    [property: Id(7)] IReadOnlyList<string> Stations,
    [property: Id(8)] RollbackRules Rules,
    [property: Id(9)] string State,
    [property: Id(10)] string? Reason,
    [property: Id(11)] DateTimeOffset CreatedUtc,
    [property: Id(12)] string CreatedBy,
    [property: Id(13)] DateTimeOffset? EndedUtc)
{
    public const string Shadow = "shadow";
    public const string Canary = "canary";
    public const string Full = "full";
    public const string Active = "active";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolled-back";
}
