namespace AiFactory.Contracts;

/// <summary>One defect or anomaly seen at a station, sent individually besides the window summaries.</summary>
/// <param name="CompanyId">Owning company.</param>
/// <param name="PlantId">Owning plant.</param>
/// <param name="LineId">Owning line.</param>
/// <param name="StationId">The station that produced it.</param>
/// <param name="TimeUtc">When the frame was captured.</param>
/// <param name="Kind">"defect" or "anomaly".</param>
/// <param name="Score">The model's score for the frame (anomaly score, or the predicted class's probability).</param>
/// <param name="Class">The predicted class for a defect; null for an anomaly.</param>
/// <param name="ModelName">The model that scored the frame.</param>
/// <param name="ModelVersion">Its version.</param>
public sealed record StationEvent(
    string CompanyId,
    string PlantId,
    string LineId,
    string StationId,
    DateTimeOffset TimeUtc,
    string Kind,
    double Score,
    string? Class,
    string ModelName,
    string ModelVersion);
