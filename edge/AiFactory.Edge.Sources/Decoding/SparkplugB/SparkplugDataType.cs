namespace AiFactory.Edge.Sources.Decoding.SparkplugB;

/// <summary>The Sparkplug B metric datatypes this edge reads (numbering from the public sparkplug_b.proto <c>DataType</c> enum); the rest are ignored.</summary>
public enum SparkplugDataType : uint
{
    Unknown = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    UInt8 = 5,
    UInt16 = 6,
    UInt32 = 7,
    UInt64 = 8,
    Float = 9,
    Double = 10,
    Boolean = 11,
    String = 12,
    DateTime = 13,
    Text = 14,
}
