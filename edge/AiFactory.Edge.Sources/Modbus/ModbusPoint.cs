namespace AiFactory.Edge.Sources.Modbus;

/// <summary>
/// One tag read from a slave. 32-bit types span two registers; <see cref="SwapBytes"/> reads each register
/// little-endian, <see cref="LowWordFirst"/> puts the low 16 bits in the first register. value = raw × Scale + Offset.
/// </summary>
public sealed record ModbusPoint(
    string Tag,
    int Slave,
    ModbusFunction Function,
    int Address,
    ModbusValueType Type = ModbusValueType.UInt16,
    bool SwapBytes = false,
    bool LowWordFirst = false,
    double Scale = 1.0,
    double Offset = 0.0)
{
    public int RegisterCount => Type is ModbusValueType.Int32 or ModbusValueType.UInt32 or ModbusValueType.Float32 ? 2 : 1;

    /// <summary>Decodes the point's registers (1 or 2, as read from the wire) into its engineering value.</summary>
    public double Decode(ReadOnlySpan<ushort> registers)
    {
        double raw;
        switch (Type)
        {
            case ModbusValueType.Int16:
                raw = (short)Word(registers[0]);
                break;
            case ModbusValueType.UInt16:
            case ModbusValueType.Bit:
                raw = Word(registers[0]);
                break;
            default:
                var high = LowWordFirst ? Word(registers[1]) : Word(registers[0]);
                var low = LowWordFirst ? Word(registers[0]) : Word(registers[1]);
                var bits = ((uint)high << 16) | low;
                raw = Type switch
                {
                    // Each arm as double: a switch typed by its float arm would round 32-bit integers.
                    ModbusValueType.Int32 => (double)(int)bits,
                    ModbusValueType.UInt32 => (double)bits,
                    _ => (double)BitConverter.UInt32BitsToSingle(bits),
                };
                break;
        }

        return (raw * Scale) + Offset;
    }

    private ushort Word(ushort register) => SwapBytes ? (ushort)((register << 8) | (register >> 8)) : register;
}
