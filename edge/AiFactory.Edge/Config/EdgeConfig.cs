namespace AiFactory.Edge.Config;

/// <summary>A plant engineer's line description: sources and stations, validated; with an uplink, what goes to the hub.</summary>
public sealed record EdgeConfig(string File, IReadOnlyList<SourceDefinition> Sources, IReadOnlyList<StationDefinition> Stations, MqttOutputDefinition? MqttOutput = null, ModbusOutputDefinition? ModbusOutput = null, UplinkDefinition? Uplink = null)
{
    /// <summary>Tag definitions (unit, conversion, valid range, staleness, period); tags without one pass unchanged.</summary>
    public IReadOnlyList<AiFactory.Edge.Core.Tags.TagDefinition> Tags { get; init; } = [];

    /// <summary>The text of the sections a running agent cannot change (edge, uplink): a reload that changes it needs a restart.</summary>
    public string RestartFingerprint { get; init; } = string.Empty;

    /// <summary>The text of the <c>outputs:</c> section: a reload that changes it replaces the verdict outputs.</summary>
    public string OutputsFingerprint { get; init; } = string.Empty;
}
