namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What an outbox file holds now, as <see cref="OutboxInspector"/> reads it: the backlog, the dead letters and the lifetime counters.</summary>
public sealed record OutboxStatus(
    string Path,
    bool AgentRunning,
    long BacklogRecords,
    long BacklogBytes,
    long? FirstSequence,
    long? LastSequence,
    DateTimeOffset? OldestUtc,
    long DeadLetters,
    long NextSequence,
    long DroppedOldest,
    long RejectedNew,
    long Quarantined,
    long DeadLettered);
