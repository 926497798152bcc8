namespace AiFactory.Hub.Alliance;

/// <summary>The body that adds a process type to the taxonomy.</summary>
public sealed record CreateProcessTypeRequest(string? Id, string? Name);
