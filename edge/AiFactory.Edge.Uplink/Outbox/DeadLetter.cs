namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>A record the hub refused on its own (400, or too large even alone): kept for inspection, never sent again by itself.</summary>
public sealed record DeadLetter(long Sequence, DateTimeOffset CreatedUtc, OutboxRecordKind Kind, byte[] Payload, DateTimeOffset DeadUtc, string Reason);
