namespace AiFactory.Edge.Live;

/// <summary>The packages a station runs by the hub's desired state: production (null: the configured model) and a shadow candidate.</summary>
internal sealed record AppliedStation(string? Production, string? Shadow);
