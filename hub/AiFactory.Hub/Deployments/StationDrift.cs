namespace AiFactory.Hub.Deployments;

/// <summary>One station's drift per input feature, from its edge's latest report; <paramref name="Alarm"/> when any feature is at alarm level.</summary>
public sealed record StationDrift(string Station, string ModelName, string EdgeId, DateTimeOffset ReportedUtc, bool Alarm, IReadOnlyList<FeatureDrift> Features);
