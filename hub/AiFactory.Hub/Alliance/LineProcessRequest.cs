namespace AiFactory.Hub.Alliance;

/// <summary>The body that tags a line: a process type of the taxonomy and a product family.</summary>
public sealed record LineProcessRequest(string? ProcessType, string? ProductFamily);
