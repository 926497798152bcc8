namespace AiFactory.Edge.Uplink.Windows;

/// <summary>Where a station sits in the alliance: company, plant, line and its own name; the hub checks the edge's key owns them.</summary>
public sealed record StationIdentity(string CompanyId, string PlantId, string LineId, string StationId);
