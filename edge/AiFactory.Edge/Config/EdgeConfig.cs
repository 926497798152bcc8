namespace AiFactory.Edge.Config;

/// <summary>A plant engineer's line description: sources and stations, validated.</summary>
public sealed record EdgeConfig(string File, IReadOnlyList<SourceDefinition> Sources, IReadOnlyList<StationDefinition> Stations, MqttOutputDefinition? MqttOutput = null, ModbusOutputDefinition? ModbusOutput = null);
