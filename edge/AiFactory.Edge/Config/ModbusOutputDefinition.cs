using AiFactory.Edge.Sources.Modbus;

namespace AiFactory.Edge.Config;

/// <summary>Where verdicts go to a PLC: the bus, the slave, and per station a holding register and/or a coil.</summary>
public sealed record ModbusOutputDefinition(ModbusBusOptions Bus, int Slave, IReadOnlyDictionary<string, int> Registers, IReadOnlyDictionary<string, int> Coils);
