namespace AiFactory.Edge.Sources.Modbus;

/// <summary>Points read together every <paramref name="Interval"/>.</summary>
public sealed record ModbusPollGroup(TimeSpan Interval, IReadOnlyList<ModbusPoint> Points);
