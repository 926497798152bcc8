namespace AiFactory.Hub.Influx;

/// <summary>One point: measurement, tags, fields (double, long, bool or string) and a Unix-millisecond timestamp.</summary>
public sealed record InfluxPoint(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, object>> Fields,
    long TimestampMs);
