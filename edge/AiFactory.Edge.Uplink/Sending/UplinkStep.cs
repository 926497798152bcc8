namespace AiFactory.Edge.Uplink.Sending;

/// <summary>What one <see cref="UplinkSender.SendNextAsync"/> did: records acknowledged, records dead-lettered, and the failure that stopped it.</summary>
public sealed record UplinkStep(UplinkStepKind Kind, int Acked, int DeadLettered, UplinkResponse? Failure)
{
    public static readonly UplinkStep Idle = new(UplinkStepKind.Idle, 0, 0, null);
}
