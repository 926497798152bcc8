namespace AiFactory.Edge.Config;

/// <summary>A plant engineer's line description: sources, tags and stations, validated.</summary>
public sealed record EdgeConfig(string File, IReadOnlyList<SourceDefinition> Sources, IReadOnlyList<StationDefinition> Stations, MqttOutputDefinition? MqttOutput = null, ModbusOutputDefinition? ModbusOutput = null)
{
    /// <summary>Every tag a station uses (declared in <c>tags:</c> or implicit), by name.</summary>
    public IReadOnlyDictionary<string, TagDefinition> Tags { get; init; } = new Dictionary<string, TagDefinition>(StringComparer.Ordinal);

    /// <summary>
    /// The configuration text of each part ("source:NAME", "station:NAME", "tag:NAME", "outputs"), so a reload
    /// can tell which parts changed and restart only those.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
