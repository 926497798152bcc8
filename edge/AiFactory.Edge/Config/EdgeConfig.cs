namespace AiFactory.Edge.Config;

/// <summary>A plant engineer's line description: sources and stations, validated.</summary>
public sealed record EdgeConfig(string File, IReadOnlyList<SourceDefinition> Sources, IReadOnlyList<StationDefinition> Stations, MqttOutputDefinition? MqttOutput = null, ModbusOutputDefinition? ModbusOutput = null)
{
    /// <summary>Tag definitions (unit, conversion, valid range, staleness, period); tags without one pass unchanged.</summary>
    public IReadOnlyList<AiFactory.Edge.Core.Tags.TagDefinition> Tags { get; init; } = [];
}
