namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>What a stored payload holds (the value is what the database stores).</summary>
public enum OutboxRecordKind
{
    Summary = 1,
    Event = 2,
    Raw = 3,
}
