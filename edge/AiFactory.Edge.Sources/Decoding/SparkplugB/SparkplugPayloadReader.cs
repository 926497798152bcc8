using Google.Protobuf;

namespace AiFactory.Edge.Sources.Decoding.SparkplugB;

/// <summary>
/// Reads a Sparkplug B <c>Payload</c> off the protobuf wire by the public sparkplug_b.proto's field numbers
/// (Payload: 1 timestamp, 2 metrics; Metric: 1 name, 2 alias, 3 timestamp, 4 datatype, 7 is_null, 10–19 the value).
/// Fields it does not use are skipped; a truncated or corrupt message throws <see cref="InvalidProtocolBufferException"/>,
/// a field with the wrong wire type <see cref="FormatException"/>.
/// </summary>
public static class SparkplugPayloadReader
{
    /// <summary>Reads the payload's own timestamp (null when absent) and appends its metrics to <paramref name="metrics"/>.</summary>
    public static ulong? Read(byte[] payload, List<SparkplugMetric> metrics)
    {
        var input = new CodedInputStream(payload);
        ulong? timestamp = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    Expect(tag, WireFormat.WireType.Varint, "Payload.timestamp");
                    timestamp = input.ReadUInt64();
                    break;
                case 2:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Payload.metrics");
                    metrics.Add(ReadMetric(input.ReadBytes()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return timestamp;
    }

    private static SparkplugMetric ReadMetric(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string? name = null;
        ulong? alias = null;
        ulong? timestamp = null;
        var type = SparkplugDataType.Unknown;
        var isNull = false;
        var field = SparkplugValueField.None;
        ulong bits = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Metric.name");
                    name = input.ReadString();
                    break;
                case 2:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.alias");
                    alias = input.ReadUInt64();
                    break;
                case 3:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.timestamp");
                    timestamp = input.ReadUInt64();
                    break;
                case 4:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.datatype");
                    type = (SparkplugDataType)input.ReadUInt32();
                    break;
                case 7:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.is_null");
                    isNull = input.ReadBool();
                    break;
                case 10:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.int_value");
                    (field, bits) = (SparkplugValueField.Int, input.ReadUInt32());
                    break;
                case 11:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.long_value");
                    (field, bits) = (SparkplugValueField.Long, input.ReadUInt64());
                    break;
                case 12:
                    Expect(tag, WireFormat.WireType.Fixed32, "Metric.float_value");
                    (field, bits) = (SparkplugValueField.Float, input.ReadFixed32());
                    break;
                case 13:
                    Expect(tag, WireFormat.WireType.Fixed64, "Metric.double_value");
                    (field, bits) = (SparkplugValueField.Double, input.ReadFixed64());
                    break;
                case 14:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.boolean_value");
                    (field, bits) = (SparkplugValueField.Boolean, input.ReadBool() ? 1UL : 0UL);
                    break;
                case >= 15 and <= 19:
                    field = SparkplugValueField.Other;
                    input.SkipLastField();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new SparkplugMetric(name, alias, timestamp, type, isNull, field, bits);
    }

    private static void Expect(uint tag, WireFormat.WireType expected, string field)
    {
        var actual = WireFormat.GetTagWireType(tag);
        if (actual != expected)
        {
            throw new FormatException($"{field} has wire type {actual}, expected {expected}");
        }
    }
}
