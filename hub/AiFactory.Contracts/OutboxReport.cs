namespace AiFactory.Contracts;

/// <summary>The edge outbox's state when a batch was produced, so the hub can show backlog and losses.</summary>
/// <param name="BacklogRecords">Records that wait besides this batch: what will still wait once it is acknowledged.</param>
/// <param name="BacklogBytes">The bytes of those records.</param>
/// <param name="OldestRecordUtc">When the oldest record of the outbox (this batch's first while records wait beyond it) was produced; null when none waits besides this batch.</param>
/// <param name="DroppedOldest">Records dropped, in the outbox's lifetime, under the DropOldest policy.</param>
/// <param name="RejectedNew">Records refused, in the outbox's lifetime, under the RejectNew policy.</param>
/// <param name="Quarantined">Outbox files found corrupt and set aside, in the outbox's lifetime.</param>
public sealed record OutboxReport(
    long BacklogRecords,
    long BacklogBytes,
    DateTimeOffset? OldestRecordUtc,
    long DroppedOldest,
    long RejectedNew,
    long Quarantined);
