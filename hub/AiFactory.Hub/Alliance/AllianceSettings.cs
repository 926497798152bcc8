namespace AiFactory.Hub.Alliance;

/// <summary>
/// An alliance hosted on this hub and its disclosure rules: a benchmark cell is published only with at least
/// <paramref name="MinCompanies"/> companies and no company above <paramref name="MaxShare"/> of its weight; with
/// <paramref name="DifferentialPrivacy"/>, every published cell also carries noise of <paramref name="Mechanism"/>
/// (laplace, or gaussian with <paramref name="Delta"/>) for <paramref name="EpsilonPerQuery"/>, spent from
/// <paramref name="EpsilonBudget"/> per analyst (a named user, across their keys) and calendar month.
/// </summary>
public sealed record AllianceSettings(
    string Id, string Name, int MinCompanies = AllianceSettings.DefaultMinCompanies, double MaxShare = AllianceSettings.DefaultMaxShare,
    bool DifferentialPrivacy = false, double EpsilonBudget = AllianceSettings.DefaultEpsilonBudget, double EpsilonPerQuery = AllianceSettings.DefaultEpsilonPerQuery,
    string Mechanism = NoiseMechanism.Laplace, double Delta = AllianceSettings.DefaultDelta)
{
    public const double DefaultDelta = 1e-6;

    public const int DefaultMinCompanies = 5;

    public const double DefaultMaxShare = 0.25;

    public const double DefaultEpsilonBudget = 1.0;

    public const double DefaultEpsilonPerQuery = 0.1;

    /// <summary>Null when the settings are usable; otherwise what is wrong, naming the field.</summary>
    public string? Problem() =>
        MinCompanies is < 2 or > 1000 ? $"minCompanies {MinCompanies} must be from 2 to 1000."
        : MaxShare is <= 0 or > 1 || double.IsNaN(MaxShare) ? $"maxShare {MaxShare} must be above 0 and at most 1."
        : !(EpsilonBudget > 0 && EpsilonBudget <= 100) ? $"epsilonBudget {EpsilonBudget} must be above 0 and at most 100."
        : !(EpsilonPerQuery > 0 && EpsilonPerQuery <= EpsilonBudget) ? $"epsilonPerQuery {EpsilonPerQuery} must be above 0 and at most epsilonBudget ({EpsilonBudget})."
        : NoiseMechanism.Problem(Mechanism, "epsilonPerQuery", EpsilonPerQuery, Delta);
}
