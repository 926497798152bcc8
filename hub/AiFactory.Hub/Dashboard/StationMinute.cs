namespace AiFactory.Hub.Dashboard;

/// <summary>One minute of a station as its 1-minute buckets hold it: verdicts and the model's scores.</summary>
public sealed record StationMinute(DateTimeOffset Minute, long Frames, long Pass, long Fail, long Anomalies, double? MeanScore, double? MaxScore);
