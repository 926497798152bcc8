namespace AiFactory.Hub.Alliance;

/// <summary>The body that adds a company to an alliance.</summary>
public sealed record MemberRequest(string? Company);
