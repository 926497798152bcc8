namespace AiFactory.Hub.Alliance;

/// <summary>A data-room offer as its owner sees it.</summary>
public sealed record RoomOffer(
    string Id, string AllianceId, string CompanyId, string PlantId, string LineId, string StationId, DateTimeOffset From, DateTimeOffset To,
    string Purpose, IReadOnlyList<string> Grantees, DateTimeOffset Expires, Deidentification Deidentification, DateTimeOffset Created, DateTimeOffset? Revoked);
