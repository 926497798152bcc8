namespace AiFactory.Contracts;

/// <summary>One defect or anomaly seen at a station, sent individually besides the window summaries.</summary>
/// <param name="StationId">The station that produced it.</param>
/// <param name="TimeUtc">When the frame was captured.</param>
/// <param name="Kind">"defect" or "anomaly".</param>
/// <param name="Score">The model's score for the frame.</param>
/// <param name="Class">The predicted class for a defect; null for an anomaly.</param>
public sealed record StationEvent(string StationId, DateTimeOffset TimeUtc, string Kind, double Score, string? Class);
