namespace AiFactory.Hub.Alliance;

/// <summary>
/// What a differentially private query spent from the analyst's budget and what is left in the period (for the budget
/// itself: what the period has spent so far). δ is 0 under Laplace; under Gaussian each published cell adds its δ.
/// </summary>
public sealed record PrivacySpend(
    string Mechanism, double EpsilonPerCell, double EpsilonSpent, double EpsilonLeft, double EpsilonBudget, string Period, double DeltaPerCell, double DeltaSpent);
