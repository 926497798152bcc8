namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What one committed append did: records stored, refused under reject-new, and older records dropped to make room.</summary>
/// <param name="Sequences">The sequence given to each item, in order; 0 for an item that was refused.</param>
public readonly record struct OutboxAppendResult(int Stored, int Rejected, int Dropped, IReadOnlyList<long> Sequences);
