using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What the edge hands the outbox: exactly one of a window summary and an event.</summary>
public sealed record OutboxItem
{
    private OutboxItem(StationWindowSummary? summary, StationEvent? @event)
    {
        Summary = summary;
        Event = @event;
    }

    public StationWindowSummary? Summary { get; }

    public StationEvent? Event { get; }

    public static OutboxItem Of(StationWindowSummary summary) => new(summary ?? throw new ArgumentNullException(nameof(summary)), null);

    public static OutboxItem Of(StationEvent @event) => new(null, @event ?? throw new ArgumentNullException(nameof(@event)));
}
