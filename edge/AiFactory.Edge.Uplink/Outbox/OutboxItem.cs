using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What the edge hands the outbox: exactly one of a window summary, an event and a raw chunk.</summary>
public sealed record OutboxItem
{
    private OutboxItem(StationWindowSummary? summary, StationEvent? @event, StationRawChunk? raw = null)
    {
        Summary = summary;
        Event = @event;
        Raw = raw;
    }

    public StationWindowSummary? Summary { get; }

    public StationEvent? Event { get; }

    public StationRawChunk? Raw { get; }

    public static OutboxItem Of(StationWindowSummary summary) => new(summary ?? throw new ArgumentNullException(nameof(summary)), null);

    public static OutboxItem Of(StationEvent @event) => new(null, @event ?? throw new ArgumentNullException(nameof(@event)));

    public static OutboxItem Of(StationRawChunk raw) => new(null, null, raw ?? throw new ArgumentNullException(nameof(raw)));
}
