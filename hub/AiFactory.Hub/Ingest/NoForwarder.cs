using AiFactory.Contracts;

namespace AiFactory.Hub.Ingest;

/// <summary>The forwarder when no time-series store is configured.</summary>
public sealed class NoForwarder : IBatchForwarder
{
    public void Forward(string edgeId, IReadOnlyList<UplinkRecord> applied)
    {
    }
}
