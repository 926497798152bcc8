using AiFactory.Edge.Sources.Modbus;

namespace AiFactory.Edge.Sources.Tests.Modbus;

[Trait("Category", "Unit")]
public sealed class ModbusPointTests
{
    [Theory]
    [InlineData(ModbusValueType.Int16, false, false, new ushort[] { 0xFFFE }, -2.0)]
    [InlineData(ModbusValueType.UInt16, false, false, new ushort[] { 0xFFFE }, 65534.0)]
    [InlineData(ModbusValueType.UInt16, true, false, new ushort[] { 0x3412 }, 4660.0)]
    [InlineData(ModbusValueType.Int32, false, false, new ushort[] { 0xFFFF, 0xFFFD }, -3.0)]
    [InlineData(ModbusValueType.UInt32, false, false, new ushort[] { 0x1234, 0x5678 }, 305419896.0)]
    [InlineData(ModbusValueType.UInt32, false, true, new ushort[] { 0x5678, 0x1234 }, 305419896.0)]
    [InlineData(ModbusValueType.Float32, false, false, new ushort[] { 0x4148, 0x0000 }, 12.5)]
    [InlineData(ModbusValueType.Float32, false, true, new ushort[] { 0x0000, 0x4148 }, 12.5)]
    [InlineData(ModbusValueType.Float32, true, false, new ushort[] { 0x4841, 0x0000 }, 12.5)]
    public void Decode_EachTypeAndOrder_GivesTheValue(ModbusValueType type, bool swapBytes, bool lowWordFirst, ushort[] registers, double expected)
    {
        var point = new ModbusPoint("t", 1, ModbusFunction.HoldingRegisters, 0, type, swapBytes, lowWordFirst);

        Assert.Equal(expected, point.Decode(registers));
    }

    [Fact]
    public void Decode_ScaleAndOffset_AreApplied()
    {
        var point = new ModbusPoint("t", 1, ModbusFunction.InputRegisters, 0, ModbusValueType.Int16, Scale: 0.1, Offset: -40);

        Assert.Equal(-15.0, point.Decode([250]), 12);
    }
}
