namespace AiFactory.Hub.Alliance;

/// <summary>"Where do we stand?": a company's KPIs of one process type against the alliance's distribution.</summary>
public sealed record StandingResponse(
    string Alliance, string Company, string ProcessType, DateTimeOffset From, DateTimeOffset To, PrivacySpend? Privacy, IReadOnlyList<StandingMetric> Metrics);
