namespace AiFactory.Edge.Config;

/// <summary>Who this edge is on the hub: its id, and the company and plant its key is bound to (the <c>edge:</c> section).</summary>
public sealed record EdgeIdentity(string EdgeId, string Company, string Plant);
