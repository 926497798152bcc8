namespace AiFactory.Hub.Alliance;

/// <summary>
/// One company's rule for one metric family in one alliance, over the whole company (<paramref name="PlantId"/> empty),
/// a plant (<paramref name="LineId"/> empty) or a line. The most specific rule that has not expired applies.
/// </summary>
public sealed record SharingPolicy(
    string AllianceId, string CompanyId, string Metric, string PlantId, string LineId, string Level,
    IReadOnlyList<string> NamedCompanies, IReadOnlyList<string> Purposes, DateTimeOffset ExpiresUtc, DateTimeOffset UpdatedUtc);
