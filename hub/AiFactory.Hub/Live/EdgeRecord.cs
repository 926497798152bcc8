namespace AiFactory.Hub.Live;

/// <summary>An edge's row as live state needs it: where it belongs, how far it got, when it was last heard.</summary>
public sealed record EdgeRecord(string EdgeId, string CompanyId, string PlantId, long HighWater, DateTimeOffset? LastSeenUtc);
