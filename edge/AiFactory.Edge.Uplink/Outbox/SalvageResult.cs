namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What could be read from a quarantined outbox file, and what could not.</summary>
internal sealed record SalvageResult(
    IReadOnlyList<OutboxEntry> Records,
    IReadOnlyList<DeadLetter> DeadLetters,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<string> Problems);
