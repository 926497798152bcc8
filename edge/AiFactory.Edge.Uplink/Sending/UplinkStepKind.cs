namespace AiFactory.Edge.Uplink.Sending;

public enum UplinkStepKind
{
    /// <summary>Nothing waits in the outbox.</summary>
    Idle,

    /// <summary>Records were acknowledged and deleted, or dead-lettered: go on at once.</summary>
    Progress,

    /// <summary>The batch (or part of it) was not delivered; every undelivered record is still in the outbox.</summary>
    Failed,
}
