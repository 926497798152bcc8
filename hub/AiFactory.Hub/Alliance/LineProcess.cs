namespace AiFactory.Hub.Alliance;

/// <summary>A line's process type and product family.</summary>
public sealed record LineProcess(string ProcessType, string ProductFamily);
