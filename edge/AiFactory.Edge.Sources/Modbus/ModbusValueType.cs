namespace AiFactory.Edge.Sources.Modbus;

public enum ModbusValueType
{
    Int16 = 0,
    UInt16 = 1,
    Int32 = 2,
    UInt32 = 3,
    Float32 = 4,

    /// <summary>A coil or discrete input: 0 or 1.</summary>
    Bit = 5,
}
