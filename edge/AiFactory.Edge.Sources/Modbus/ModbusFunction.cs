namespace AiFactory.Edge.Sources.Modbus;

public enum ModbusFunction
{
    HoldingRegisters = 3,
    InputRegisters = 4,
    Coils = 1,
    DiscreteInputs = 2,
}
