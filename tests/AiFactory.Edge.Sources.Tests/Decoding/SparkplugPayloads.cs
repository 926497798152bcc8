using Google.Protobuf;

namespace AiFactory.Edge.Sources.Tests.Decoding;

/// <summary>Writes Sparkplug B payloads field by field (public schema field numbers), as a publisher would.</summary>
internal static class SparkplugPayloads
{
    public static byte[] Payload(ulong? timestamp, params byte[][] metrics)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        if (timestamp is { } t)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteUInt64(t);
        }

        foreach (var m in metrics)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(m));
        }

        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteUInt64(0);
        output.Flush();
        return buffer.ToArray();
    }

    /// <param name="value">double, float, int (Int16: datatype 2), long, bool, string, or null for is_null.</param>
    public static byte[] Metric(string? name, ulong? alias, object? value, uint datatype, ulong? timestamp = null)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        if (name is not null)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(name);
        }

        if (alias is { } a)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteUInt64(a);
        }

        if (timestamp is { } t)
        {
            output.WriteTag(3, WireFormat.WireType.Varint);
            output.WriteUInt64(t);
        }

        if (datatype != 0)
        {
            // datatype 0 leaves the field out, as the spec asks of DATA messages
            output.WriteTag(4, WireFormat.WireType.Varint);
            output.WriteUInt32(datatype);
        }
        switch (value)
        {
            case null:
                output.WriteTag(7, WireFormat.WireType.Varint);
                output.WriteBool(true);
                break;
            case int i:
                output.WriteTag(10, WireFormat.WireType.Varint);
                output.WriteUInt32(unchecked((uint)i));
                break;
            case long l:
                output.WriteTag(11, WireFormat.WireType.Varint);
                output.WriteUInt64(unchecked((ulong)l));
                break;
            case float f:
                output.WriteTag(12, WireFormat.WireType.Fixed32);
                output.WriteFloat(f);
                break;
            case double d:
                output.WriteTag(13, WireFormat.WireType.Fixed64);
                output.WriteDouble(d);
                break;
            case bool b:
                output.WriteTag(14, WireFormat.WireType.Varint);
                output.WriteBool(b);
                break;
            case string s:
                output.WriteTag(15, WireFormat.WireType.LengthDelimited);
                output.WriteString(s);
                break;
        }

        output.Flush();
        return buffer.ToArray();
    }
}
