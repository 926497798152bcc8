namespace AiFactory.Hub.Queries;

/// <summary>A stored defect or anomaly event.</summary>
public sealed record EventRow(
    string EdgeId, long Sequence, string LineId, string StationId, DateTimeOffset TimeUtc, string Kind, double Score, string? Class, string ModelName, string ModelVersion);
