namespace AiFactory.Contracts;

/// <summary>
/// One outbox record as it travels to the hub: exactly one of <paramref name="Summary"/>, <paramref name="Event"/>
/// and <paramref name="Raw"/> is set. The hub applies a record only when its sequence is above the highest
/// sequence it has applied for the edge, so a batch that is retried, replayed or re-cut changes nothing twice.
/// </summary>
/// <param name="Sequence">The edge outbox's sequence number, strictly increasing per edge (gaps allowed).</param>
/// <param name="Summary">A station window summary.</param>
/// <param name="Event">A single defect or anomaly event.</param>
/// <param name="Raw">Raw sensor values of a station that opted in.</param>
public sealed record UplinkRecord(long Sequence, StationWindowSummary? Summary, StationEvent? Event, StationRawChunk? Raw = null);
