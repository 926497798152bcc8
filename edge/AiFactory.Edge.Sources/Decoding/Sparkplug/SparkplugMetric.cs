namespace AiFactory.Edge.Sources.Decoding.Sparkplug;

/// <summary>One metric of a Sparkplug B payload, as far as the edge needs it.</summary>
/// <param name="Name">The metric's name (BIRTH messages; DATA messages may carry only the alias).</param>
/// <param name="Alias">The metric's alias, when the publisher uses aliases.</param>
/// <param name="TimestampMs">The metric's own time (epoch ms), if any.</param>
/// <param name="Value">The numeric value (booleans as 0/1); null when the metric is null or not numeric.</param>
/// <param name="IsNull">The publisher marked the value null.</param>
/// <param name="NotNumeric">The value is a string, bytes, dataset or template (not usable as a tag).</param>
public readonly record struct SparkplugMetric(string? Name, ulong? Alias, ulong? TimestampMs, double? Value, bool IsNull, bool NotNumeric);
