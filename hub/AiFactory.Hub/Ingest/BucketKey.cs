namespace AiFactory.Hub.Ingest;

/// <summary>One aggregate row: a station's model in one 1-minute or 1-hour bucket (start in Unix seconds).</summary>
public readonly record struct BucketKey(
    string CompanyId, string PlantId, string LineId, string StationId, long Granularity, long BucketStart, string ModelName, string ModelVersion);
