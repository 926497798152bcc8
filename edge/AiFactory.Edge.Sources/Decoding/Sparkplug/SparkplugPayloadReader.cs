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
        double? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = input.ReadString(); break;
                case 2: alias = input.ReadUInt64(); break;
                case 3: timestamp = input.ReadUInt64(); break;
                case 4: datatype = input.ReadUInt32(); break;
                case 7: isNull = input.ReadBool(); break;
                case 10: value = IntValue(input.ReadUInt32(), datatype); break;
                case 11: value = LongValue(input.ReadUInt64(), datatype); break;
                case 12: value = input.ReadFloat(); break;
                case 13: value = input.ReadDouble(); break;
                case 14: value = input.ReadBool() ? 1 : 0; break;
                case 15 or 16 or 17 or 18 or 19:
                    notNumeric = true;
                    input.SkipLastField();
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new SparkplugMetric(name, alias, timestamp, isNull ? null : value, isNull, notNumeric);
    }

    // Int8/Int16/Int32 travel in the uint32 field as two's complement; UInt8/16/32 as they are.
    private static double IntValue(uint raw, uint datatype) => datatype switch
    {
        1 => (sbyte)raw,
        2 => (short)raw,
        3 => (int)raw,
        _ => raw,
    };

    // Int64 (and DateTime, epoch ms) in the uint64 field; Int64 as two's complement.
    private static double LongValue(ulong raw, uint datatype) => datatype == 4 ? (long)raw : raw;
}
