namespace AiFactory.Hub.Alliance;

/// <summary>An offer as a granted data scientist sees it: no company, plant, line, station or real time, only what was offered and until when.</summary>
public sealed record RoomDataset(string Id, string Purpose, DateTimeOffset From, DateTimeOffset To, DateTimeOffset Expires);
