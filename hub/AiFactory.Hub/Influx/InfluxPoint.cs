namespace AiFactory.Hub.Influx;

/// <summary>
/// One point: measurement, tags, fields (double, float, long, int, bool or string) and its time, written in the
/// writer's <see cref="InfluxOptions.Precision"/> (at most 100 ns resolution, a tick).
/// </summary>
public sealed record InfluxPoint(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, object>> Fields,
    DateTimeOffset Time);
