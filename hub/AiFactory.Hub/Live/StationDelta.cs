namespace AiFactory.Hub.Live;

/// <summary>
/// What one committed batch of an edge added to one station. <paramref name="CoveredSince"/> is the edge's high-water
/// mark from which its grain has told this station of every batch: a station that knows less of the edge rebuilds
/// from SQL instead of guessing.
/// </summary>
/// <param name="EdgeId">The edge that sent the batch.</param>
/// <param name="CoveredSince">The edge's high-water mark since which the station heard of every batch (long.MaxValue: unknown).</param>
/// <param name="NewHighWater">The edge's high-water mark after this batch.</param>
/// <param name="Minutes">The batch's summaries of this station, per minute.</param>
/// <param name="Events">The batch's events of this station.</param>
[GenerateSerializer]
[Immutable]
public sealed record StationDelta(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] long CoveredSince,
    [property: Id(2)] long NewHighWater,
    [property: Id(3)] IReadOnlyDictionary<long, MinuteTotals> Minutes,
    [property: Id(4)] IReadOnlyList<LiveEvent> Events);
