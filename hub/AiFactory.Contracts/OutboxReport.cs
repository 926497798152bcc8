namespace AiFactory.Contracts;

/// <summary>The edge outbox's state when a batch was produced, so the hub can show backlog and losses.</summary>
/// <param name="BacklogRecords">Records waiting to be sent.</param>
/// <param name="BacklogBytes">Bytes waiting to be sent.</param>
/// <param name="DroppedOldest">Records dropped since the last report under the DropOldest policy.</param>
/// <param name="RejectedNew">Records rejected since the last report under the RejectNew policy.</param>
public sealed record OutboxReport(long BacklogRecords, long BacklogBytes, long DroppedOldest, long RejectedNew);
