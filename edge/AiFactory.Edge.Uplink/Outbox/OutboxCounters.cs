namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>The outbox's state: what waits, and its lifetime loss counters (persisted in the file).</summary>
public sealed record OutboxCounters(
    long BacklogRecords,
    long BacklogBytes,
    long NextSequence,
    long DroppedOldest,
    long RejectedNew,
    long Quarantined,
    long DeadLettered);
