namespace AiFactory.Hub.Alliance;

/// <summary>One entry of the alliance-wide process taxonomy (welding, battery-cell formation, …).</summary>
public sealed record ProcessType(string Id, string Name);
