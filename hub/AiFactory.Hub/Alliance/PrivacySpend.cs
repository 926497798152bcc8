namespace AiFactory.Hub.Alliance;

/// <summary>What a differentially private query spent from the analyst's budget and what is left in the period.</summary>
public sealed record PrivacySpend(string Mechanism, double EpsilonPerCell, double EpsilonSpent, double EpsilonLeft, double EpsilonBudget, string Period);
