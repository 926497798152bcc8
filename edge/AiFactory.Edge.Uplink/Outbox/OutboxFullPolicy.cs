namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What the outbox gives up when a new record would exceed its byte or age bound.</summary>
public enum OutboxFullPolicy
{
    /// <summary>Delete the oldest records not yet sent to the hub (config: <c>drop-oldest</c>).</summary>
    DropOldest,

    /// <summary>Keep every stored record and refuse the new one (config: <c>reject-new</c>).</summary>
    RejectNew,
}
