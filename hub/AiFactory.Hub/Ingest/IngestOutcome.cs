using AiFactory.Contracts;

namespace AiFactory.Hub.Ingest;

/// <summary>The ack for the edge and the records this call applied (none for a pure duplicate).</summary>
public sealed record IngestOutcome(UplinkAck Ack, IReadOnlyList<UplinkRecord> Applied);
