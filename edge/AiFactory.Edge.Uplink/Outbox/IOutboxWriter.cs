namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>Where produced records go; a record counts as produced once <see cref="Append"/> has returned.</summary>
public interface IOutboxWriter
{
    /// <summary>Stores the items in one committed transaction (or refuses some under the full policy).</summary>
    OutboxAppendResult Append(IReadOnlyList<OutboxItem> items);
}
