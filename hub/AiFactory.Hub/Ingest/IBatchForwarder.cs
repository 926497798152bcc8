using AiFactory.Contracts;

namespace AiFactory.Hub.Ingest;

/// <summary>Hands applied batches on (e.g. to InfluxDB) without ever blocking or failing the ingest.</summary>
public interface IBatchForwarder
{
    void Forward(string edgeId, IReadOnlyList<UplinkRecord> applied);
}
