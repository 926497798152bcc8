namespace AiFactory.Hub.Alliance;

/// <summary>
/// The body of <c>POST …/companies/{company}/offers</c>: which station's raw chunks over [From, To), for what purpose,
/// to which member companies (none: every member), until when, disguised how.
/// </summary>
public sealed record OfferRequest(
    string? Id, string? Plant, string? Line, string? Station, DateTimeOffset? From, DateTimeOffset? To, string? Purpose,
    IReadOnlyList<string>? Grantees, DateTimeOffset? Expires, Deidentification? Deidentification);
