namespace AiFactory.Hub.Alliance;

/// <summary>The body of <c>PUT …/policies/{metric}</c>: scope (plant, line), level, named companies, purposes, expiry.</summary>
public sealed record PolicyRequest(
    string? Plant, string? Line, string? Level, IReadOnlyList<string>? NamedCompanies, IReadOnlyList<string>? Purposes, DateTimeOffset? Expires);
