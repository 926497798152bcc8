namespace AiFactory.Contracts;

/// <summary>One upload from an edge; (EdgeId, FirstSequence, LastSequence) is its idempotency key.</summary>
/// <param name="EdgeId">The sending edge.</param>
/// <param name="FirstSequence">Outbox sequence of the first record in the batch.</param>
/// <param name="LastSequence">Outbox sequence of the last record in the batch.</param>
/// <param name="ProducedAtUtc">When the edge built the batch.</param>
/// <param name="Summaries">Window summaries.</param>
/// <param name="Events">Individual defect and anomaly events.</param>
/// <param name="Outbox">The outbox's backlog and drop counters.</param>
public sealed record UplinkBatch(
    string EdgeId,
    long FirstSequence,
    long LastSequence,
    DateTimeOffset ProducedAtUtc,
    IReadOnlyList<StationWindowSummary> Summaries,
    IReadOnlyList<StationEvent> Events,
    OutboxReport Outbox);
