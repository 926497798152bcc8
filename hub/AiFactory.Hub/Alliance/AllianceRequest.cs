namespace AiFactory.Hub.Alliance;

/// <summary>The body that creates or changes an alliance; absent settings take <see cref="AllianceSettings"/>' defaults.</summary>
public sealed record AllianceRequest(
    string? Id, string? Name, int? MinCompanies, double? MaxShare, bool? DifferentialPrivacy, double? EpsilonBudget, double? EpsilonPerQuery,
    string? Mechanism = null, double? Delta = null)
{
    public AllianceSettings ToSettings(string id) => new(
        id, Name ?? id, MinCompanies ?? AllianceSettings.DefaultMinCompanies, MaxShare ?? AllianceSettings.DefaultMaxShare, DifferentialPrivacy ?? false,
        EpsilonBudget ?? AllianceSettings.DefaultEpsilonBudget, EpsilonPerQuery ?? AllianceSettings.DefaultEpsilonPerQuery,
        Mechanism ?? NoiseMechanism.Laplace, Delta ?? AllianceSettings.DefaultDelta);
}
