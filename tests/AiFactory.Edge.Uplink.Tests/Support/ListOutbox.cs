using AiFactory.Edge.Uplink.Outbox;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>An outbox that keeps each Append call's items in memory; can be told to fail.</summary>
internal sealed class ListOutbox : IOutboxWriter
{
    public List<IReadOnlyList<OutboxItem>> Appends { get; } = [];

    public Exception? FailWith { get; set; }

    public IEnumerable<OutboxItem> All => Appends.SelectMany(a => a);

    public OutboxAppendResult Append(IReadOnlyList<OutboxItem> items)
    {
        if (FailWith is { } ex)
        {
            throw ex;
        }

        Appends.Add([.. items]);
        return new OutboxAppendResult(items.Count, 0, 0, items.Select((_, i) => (long)i + 1).ToArray());
    }
}
