namespace AiFactory.Edge.Sources.Decoding.SparkplugB;

/// <summary>A Sparkplug B topic: <c>spBv1.0/&lt;group&gt;/&lt;message type&gt;/&lt;edge node&gt;[/&lt;device&gt;]</c>.</summary>
public readonly record struct SparkplugTopic(string Group, string MessageType, string Node, string? Device)
{
    public const string Namespace = "spBv1.0";

    /// <summary>"group/node" — the scope aliases are unique in.</summary>
    public string NodeScope => $"{Group}/{Node}";

    /// <summary>"group/node" or "group/node/device" — the scope metric names are unique in.</summary>
    public string Scope => Device is null ? NodeScope : $"{Group}/{Node}/{Device}";

    /// <summary>Parses a topic; null when it is not a Sparkplug B edge-node or device topic (STATE topics included).</summary>
    public static SparkplugTopic? Parse(string topic)
    {
        var parts = topic.Split('/');
        if (parts.Length is < 4 or > 5 || parts[0] != Namespace || Array.Exists(parts, p => p.Length == 0))
        {
            return null;
        }

        return new SparkplugTopic(parts[1], parts[2], parts[3], parts.Length == 5 ? parts[4] : null);
    }
}
