namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>One stored record: its sequence, when it was committed, its kind and its JSON payload.</summary>
public sealed record OutboxEntry(long Sequence, DateTimeOffset CreatedUtc, OutboxRecordKind Kind, byte[] Payload);
