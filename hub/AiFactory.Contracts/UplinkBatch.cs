namespace AiFactory.Contracts;

/// <summary>One upload from an edge; (EdgeId, FirstSequence, LastSequence) is its idempotency key.</summary>
/// <param name="EdgeId">The sending edge.</param>
/// <param name="FirstSequence">Sequence of the first record in the batch.</param>
/// <param name="LastSequence">Sequence of the last record in the batch.</param>
/// <param name="ProducedAtUtc">When the edge built the batch.</param>
/// <param name="Records">The records, in increasing sequence order.</param>
/// <param name="Outbox">The outbox's backlog and its cumulative drop counters.</param>
public sealed record UplinkBatch(
    string EdgeId,
    long FirstSequence,
    long LastSequence,
    DateTimeOffset ProducedAtUtc,
    IReadOnlyList<UplinkRecord> Records,
    OutboxReport Outbox);
