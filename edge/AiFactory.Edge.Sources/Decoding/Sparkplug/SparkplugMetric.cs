namespace AiFactory.Edge.Sources.Decoding.Sparkplug;

/// <summary>One metric of a Sparkplug B payload, as far as the edge needs it.</summary>
/// <param name="Name">The metric's name (BIRTH messages; DATA messages may carry only the alias).</param>
/// <param name="Alias">The metric's alias, when the publisher uses aliases.</param>
/// <param name="TimestampMs">The metric's own time (epoch ms), if any.</param>
/// <param name="DataType">The datatype sent with the metric; 0 when absent (the spec says DATA messages should leave it out).</param>
/// <param name="IsNull">The publisher marked the value null.</param>
/// <param name="NotNumeric">The value is a string, bytes, dataset or template (not usable as a tag).</param>
/// <param name="IntRaw">The raw int_value (uint32 on the wire), if that field was sent.</param>
/// <param name="LongRaw">The raw long_value (uint64 on the wire), if that field was sent.</param>
/// <param name="FloatValue">The float, double or boolean (0/1) value, if one of those fields was sent.</param>
public readonly record struct SparkplugMetric(
    string? Name, ulong? Alias, ulong? TimestampMs, uint DataType, bool IsNull, bool NotNumeric, uint? IntRaw, ulong? LongRaw, double? FloatValue)
{
    /// <summary>
    /// The value read as <paramref name="datatype"/> (the metric's own, or the one its BIRTH declared): the integer
    /// fields carry signed types as two's complement, so their sign depends on it. Null when null or absent.
    /// </summary>
    public double? ValueAs(uint datatype) => IsNull ? null
        : IntRaw is { } i ? datatype switch
        {
            1 => (sbyte)i,
            2 => (short)i,
            3 => (int)i,
            _ => i,
        }
        : LongRaw is { } l ? (datatype == 4 ? (long)l : l)
        : FloatValue;
}
