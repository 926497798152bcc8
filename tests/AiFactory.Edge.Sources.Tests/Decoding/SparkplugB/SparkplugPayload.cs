using AiFactory.Edge.Sources.Decoding.SparkplugB;
using Google.Protobuf;

namespace AiFactory.Edge.Sources.Tests.Decoding.SparkplugB;

/// <summary>Writes Sparkplug B payloads field by field with CodedOutputStream, as an edge node would send them.</summary>
public sealed class SparkplugPayload
{
    private readonly MemoryStream _metrics = new();
    private ulong? _timestamp;

    public SparkplugPayload At(ulong ms)
    {
        _timestamp = ms;
        return this;
    }

    /// <summary>Adds a metric; <paramref name="value"/> is written to the value field its CLR type names (uint → int_value, ulong → long_value, float, double, bool, string).</summary>
    public SparkplugPayload Metric(string? name, object? value, SparkplugDataType type = SparkplugDataType.Unknown, ulong? alias = null, ulong? ms = null, bool isNull = false)
    {
        using var body = new MemoryStream();
        var o = new CodedOutputStream(body);
        if (name is not null)
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
        }

        if (alias is { } a)
        {
            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteUInt64(a);
        }

        if (ms is { } t)
        {
            o.WriteTag(3, WireFormat.WireType.Varint);
            o.WriteUInt64(t);
        }

        if (type != SparkplugDataType.Unknown)
        {
            o.WriteTag(4, WireFormat.WireType.Varint);
            o.WriteUInt32((uint)type);
        }

        if (isNull)
        {
            o.WriteTag(7, WireFormat.WireType.Varint);
            o.WriteBool(true);
        }

        switch (value)
        {
            case uint v:
                o.WriteTag(10, WireFormat.WireType.Varint);
                o.WriteUInt32(v);
                break;
            case ulong v:
                o.WriteTag(11, WireFormat.WireType.Varint);
                o.WriteUInt64(v);
                break;
            case float v:
                o.WriteTag(12, WireFormat.WireType.Fixed32);
                o.WriteFloat(v);
                break;
            case double v:
                o.WriteTag(13, WireFormat.WireType.Fixed64);
                o.WriteDouble(v);
                break;
            case bool v:
                o.WriteTag(14, WireFormat.WireType.Varint);
                o.WriteBool(v);
                break;
            case string v:
                o.WriteTag(15, WireFormat.WireType.LengthDelimited);
                o.WriteString(v);
                break;
        }

        o.Flush();
        var m = new CodedOutputStream(_metrics);
        m.WriteTag(2, WireFormat.WireType.LengthDelimited);
        m.WriteBytes(ByteString.CopyFrom(body.ToArray()));
        m.Flush();
        return this;
    }

    public byte[] ToArray()
    {
        using var all = new MemoryStream();
        var o = new CodedOutputStream(all);
        if (_timestamp is { } t)
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteUInt64(t);
        }

        // seq = 3, as every edge node sends it; the decoder skips it.
        o.WriteTag(3, WireFormat.WireType.Varint);
        o.WriteUInt64(7);
        o.Flush();
        all.Write(_metrics.ToArray());
        return all.ToArray();
    }
}
