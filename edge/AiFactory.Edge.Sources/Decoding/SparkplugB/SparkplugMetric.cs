namespace AiFactory.Edge.Sources.Decoding.SparkplugB;

/// <summary>One metric as read off the wire, before aliases are resolved.</summary>
/// <param name="Name">The metric's name, or null when only its alias was sent.</param>
/// <param name="Alias">The alias, or null when none was sent.</param>
/// <param name="TimestampMs">The metric's own timestamp (ms since the Unix epoch), or null.</param>
/// <param name="DataType">The datatype sent with the metric (births always send it; data messages may not).</param>
/// <param name="IsNull">Whether the sender marked the value null.</param>
/// <param name="Field">Which value field was present.</param>
/// <param name="Bits">The raw value: varint for Int/Long/Boolean, IEEE bits for Float (low 32) and Double.</param>
public readonly record struct SparkplugMetric(
    string? Name,
    ulong? Alias,
    ulong? TimestampMs,
    SparkplugDataType DataType,
    bool IsNull,
    SparkplugValueField Field,
    ulong Bits)
{
    /// <summary>The value as a double, reading int fields by the datatype's width and sign; null when it is not a number.</summary>
    public double? ToDouble(SparkplugDataType type) => Field switch
    {
        _ when type is SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.DateTime => null,
        SparkplugValueField.Int => type switch
        {
            // Signed types travel as two's complement in a uint32; truncating to the type's width reads both
            // the sign-extended (0xFFFFFFFF) and the narrow (0xFF) spelling of -1 the same.
            SparkplugDataType.Int8 => (sbyte)Bits,
            SparkplugDataType.Int16 => (short)Bits,
            SparkplugDataType.UInt8 => (byte)Bits,
            SparkplugDataType.UInt16 => (ushort)Bits,
            SparkplugDataType.UInt32 => (uint)Bits,
            _ => (int)(uint)Bits,
        },
        SparkplugValueField.Long => type == SparkplugDataType.UInt64 ? Bits : (long)Bits,
        SparkplugValueField.Float => BitConverter.UInt32BitsToSingle((uint)Bits),
        SparkplugValueField.Double => BitConverter.UInt64BitsToDouble(Bits),
        SparkplugValueField.Boolean => Bits != 0 ? 1.0 : 0.0,
        _ => null,
    };
}
