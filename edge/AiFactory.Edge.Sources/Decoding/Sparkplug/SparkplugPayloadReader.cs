using Google.Protobuf;

namespace AiFactory.Edge.Sources.Decoding.Sparkplug;

/// <summary>
/// Reads the Sparkplug B <c>Payload</c> protobuf (field numbers from the public Eclipse Sparkplug B schema):
/// timestamp (1), metrics (2: name 1, alias 2, timestamp 3, datatype 4, is_null 7, int 10, long 11, float 12,
/// double 13, boolean 14, string 15, bytes 16, dataset 17, template 18, extension 19), seq (3). Unknown fields are
/// skipped, so newer publishers stay readable.
/// </summary>
public static class SparkplugPayloadReader
{
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid protobuf message.</exception>
    public static (ulong? TimestampMs, ulong? Seq, List<SparkplugMetric> Metrics) Read(ReadOnlySpan<byte> payload)
    {
        var input = new CodedInputStream(payload.ToArray());
        ulong? timestamp = null;
        ulong? seq = null;
        var metrics = new List<SparkplugMetric>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    timestamp = input.ReadUInt64();
                    break;
                case 2:
                    metrics.Add(ReadMetric(new CodedInputStream(input.ReadBytes().ToByteArray())));
                    break;
                case 3:
                    seq = input.ReadUInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (timestamp, seq, metrics);
    }

    private static SparkplugMetric ReadMetric(CodedInputStream input)
    {
        string? name = null;
        ulong? alias = null;
        ulong? timestamp = null;
        uint datatype = 0;
        var isNull = false;
        var notNumeric = false;
        uint? intRaw = null;
        ulong? longRaw = null;
        double? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: Expect(tag, WireFormat.WireType.LengthDelimited, "Metric.name"); name = input.ReadString(); break;
                case 2: Expect(tag, WireFormat.WireType.Varint, "Metric.alias"); alias = input.ReadUInt64(); break;
                case 3: Expect(tag, WireFormat.WireType.Varint, "Metric.timestamp"); timestamp = input.ReadUInt64(); break;
                case 4: Expect(tag, WireFormat.WireType.Varint, "Metric.datatype"); datatype = input.ReadUInt32(); break;
                case 7: Expect(tag, WireFormat.WireType.Varint, "Metric.is_null"); isNull = input.ReadBool(); break;
                case 10: Expect(tag, WireFormat.WireType.Varint, "Metric.int_value"); intRaw = input.ReadUInt32(); break;
                case 11: Expect(tag, WireFormat.WireType.Varint, "Metric.long_value"); longRaw = input.ReadUInt64(); break;
                case 12: Expect(tag, WireFormat.WireType.Fixed32, "Metric.float_value"); value = input.ReadFloat(); break;
                case 13: Expect(tag, WireFormat.WireType.Fixed64, "Metric.double_value"); value = input.ReadDouble(); break;
                case 14: Expect(tag, WireFormat.WireType.Varint, "Metric.boolean_value"); value = input.ReadBool() ? 1 : 0; break;
                case 15 or 16 or 17 or 18 or 19:
                    notNumeric = true;
                    input.SkipLastField();
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new SparkplugMetric(name, alias, timestamp, datatype, isNull, notNumeric, intRaw, longRaw, value);
    }

    // A field sent with another wire type than the schema's would otherwise be read as garbage (a varint read as a float's 4 bytes).
    private static void Expect(uint tag, WireFormat.WireType expected, string field)
    {
        if (WireFormat.GetTagWireType(tag) is var actual && actual != expected)
        {
            throw new FormatException($"{field} has wire type {actual}, expected {expected}");
        }
    }
}
