using AiFactory.Contracts;

namespace AiFactory.Hub.Deployments;

/// <summary>The latest report of one station and model, as the hub received it.</summary>
/// <param name="EdgeId">The edge that sent it.</param>
/// <param name="Station"><c>plant/line/station</c>.</param>
/// <param name="ReceivedUtc">When the hub received it.</param>
/// <param name="Report">The report.</param>
[GenerateSerializer]
[Immutable]
public sealed record ReportedStation(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string Station,
    [property: Id(2)] DateTimeOffset ReceivedUtc,
    [property: Id(3)] StationModelReport Report);
