using AiFactory.Edge.Core.Samples;
using Google.Protobuf;

namespace AiFactory.Edge.Sources.Decoding.SparkplugB;

/// <summary>
/// Decodes Sparkplug B messages into tag samples. Tags are configured as <c>group/node[/device]:metric name</c>
/// (group, edge node and device ids must not contain ':'). NBIRTH/DBIRTH name each metric's alias and datatype
/// and carry current values; NDATA/DDATA may send metrics by alias only; NDEATH/DDEATH turn every configured
/// tag of that node (and its devices) or device into a bad-quality sample. Numbers and booleans become values;
/// strings, date-times, datasets and the like are counted in <see cref="IgnoredMetrics"/>. Not thread-safe:
/// one MQTT source decodes its messages on one loop.
/// </summary>
public sealed class SparkplugBDecoder : IPayloadDecoder
{
    // scope ("group/node[/device]") → metric name → tag
    private readonly Dictionary<string, Dictionary<string, string>> _tags = new(StringComparer.Ordinal);

    // node scope ("group/node") → alias → (name, datatype); aliases are unique within an edge node and its devices
    private readonly Dictionary<string, Dictionary<ulong, (string Name, SparkplugDataType Type)>> _aliases = new(StringComparer.Ordinal);

    // scope → metric name → datatype from its birth, for data messages that send the name without the datatype
    private readonly Dictionary<string, Dictionary<string, SparkplugDataType>> _types = new(StringComparer.Ordinal);
    private readonly List<SparkplugMetric> _metrics = [];
    private long _ignoredMetrics;
    private long _unmappedMetrics;

    /// <param name="tags">Tag name → <c>group/node[/device]:metric name</c>.</param>
    /// <exception cref="FormatException">A metric address without ':', or two tags for one metric.</exception>
    public SparkplugBDecoder(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (tag, address) in tags)
        {
            var colon = address.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == address.Length - 1)
            {
                throw new FormatException($"Sparkplug B metric '{address}' (tag '{tag}') must look like group/node[/device]:metric name");
            }

            var scope = address[..colon];
            if (!_tags.TryGetValue(scope, out var names))
            {
                _tags[scope] = names = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            if (!names.TryAdd(address[(colon + 1)..], tag))
            {
                throw new FormatException($"Sparkplug B metric '{address}' is mapped to both tag '{names[address[(colon + 1)..]]}' and tag '{tag}'");
            }
        }
    }

    /// <summary>Metrics skipped because their value is not a number (strings, date-times, datasets, templates, bytes).</summary>
    public long IgnoredMetrics => Interlocked.Read(ref _ignoredMetrics);

    /// <summary>Numeric metrics read that no tag is configured for.</summary>
    public long UnmappedMetrics => Interlocked.Read(ref _unmappedMetrics);

    public string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output) =>
        "a Sparkplug B payload needs its topic (spBv1.0/<group>/<type>/<node>[/<device>])";

    public string? Decode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output)
    {
        if (SparkplugTopic.Parse(topic) is not { } parsed)
        {
            return topic.StartsWith($"{SparkplugTopic.Namespace}/STATE/", StringComparison.Ordinal)
                ? null
                : $"topic '{topic}' is not a Sparkplug B topic (spBv1.0/<group>/<type>/<node>[/<device>])";
        }

        var isNode = parsed.Device is null;
        switch (parsed.MessageType)
        {
            case "NBIRTH" when isNode:
            case "DBIRTH" when !isNode:
            case "NDATA" when isNode:
            case "DDATA" when !isNode:
                break;
            case "NDEATH" when isNode:
            case "DDEATH" when !isNode:
            case "NCMD" when isNode:
            case "DCMD" when !isNode:
                break;
            default:
                return $"'{parsed.MessageType}' with{(isNode ? "out" : string.Empty)} a device id is not a Sparkplug B message type";
        }

        _metrics.Clear();
        ulong? payloadTime;
        try
        {
            payloadTime = SparkplugPayloadReader.Read(payload.ToArray(), _metrics);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or FormatException)
        {
            return $"malformed Sparkplug B payload ({payload.Length} bytes): {ex.Message}";
        }

        if (!TryTime(payloadTime, arrival, out var time, out var problem))
        {
            return problem;
        }

        switch (parsed.MessageType)
        {
            case "NCMD" or "DCMD":
                return null;
            case "NDEATH" or "DDEATH":
                MarkDead(parsed, time, output);
                return null;
            case "NBIRTH":
                _aliases.Remove(parsed.NodeScope);
                foreach (var scope in _types.Keys.Where(s => InNode(s, parsed.NodeScope)).ToList())
                {
                    _types.Remove(scope);
                }

                break;
        }

        var start = output.Count;
        problem = parsed.MessageType.EndsWith("BIRTH", StringComparison.Ordinal)
            ? Birth(parsed, time, output)
            : Data(parsed, time, output);
        if (problem is not null)
        {
            output.RemoveRange(start, output.Count - start);
        }

        return problem;
    }

    private string? Birth(SparkplugTopic topic, DateTimeOffset time, List<TagSample> output)
    {
        var aliases = Table(_aliases, topic.NodeScope);
        var types = Table(_types, topic.Scope);
        foreach (var m in _metrics)
        {
            if (m.Name is null)
            {
                return $"a {topic.MessageType} metric has no name (births must name every metric)";
            }

            types[m.Name] = m.DataType;
            if (m.Alias is { } alias)
            {
                aliases[alias] = (m.Name, m.DataType);
            }

            if (Emit(topic, m, m.Name, m.DataType, time, output) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private string? Data(SparkplugTopic topic, DateTimeOffset time, List<TagSample> output)
    {
        foreach (var m in _metrics)
        {
            string name;
            var type = m.DataType;
            if (m.Name is { } n)
            {
                name = n;
                if (type == SparkplugDataType.Unknown && _types.TryGetValue(topic.Scope, out var types))
                {
                    type = types.GetValueOrDefault(n);
                }
            }
            else if (m.Alias is { } alias && _aliases.TryGetValue(topic.NodeScope, out var aliases) && aliases.TryGetValue(alias, out var known))
            {
                (name, type) = (known.Name, type == SparkplugDataType.Unknown ? known.Type : type);
            }
            else
            {
                return m.Alias is { } a
                    ? $"metric alias {a} of edge node '{topic.NodeScope}' is unknown (no birth has named it)"
                    : "a metric has neither a name nor an alias";
            }

            if (Emit(topic, m, name, type, time, output) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private string? Emit(SparkplugTopic topic, SparkplugMetric m, string name, SparkplugDataType type, DateTimeOffset payloadTime, List<TagSample> output)
    {
        if (!TryTime(m.TimestampMs, payloadTime, out var time, out var problem))
        {
            return $"metric '{name}': {problem}";
        }

        var value = m.IsNull || m.Field == SparkplugValueField.None ? double.NaN : m.ToDouble(type);
        if (value is null)
        {
            Interlocked.Increment(ref _ignoredMetrics);
            return null;
        }

        if (!_tags.TryGetValue(topic.Scope, out var names) || !names.TryGetValue(name, out var tag))
        {
            Interlocked.Increment(ref _unmappedMetrics);
            return null;
        }

        output.Add(double.IsNaN(value.Value) ? new TagSample(tag, time, double.NaN, SampleQuality.Bad) : new TagSample(tag, time, value.Value));
        return null;
    }

    private void MarkDead(SparkplugTopic topic, DateTimeOffset time, List<TagSample> output)
    {
        if (topic.Device is null)
        {
            _aliases.Remove(topic.NodeScope);
        }

        foreach (var (scope, names) in _tags)
        {
            if (topic.Device is null ? InNode(scope, topic.NodeScope) : scope == topic.Scope)
            {
                foreach (var tag in names.Values)
                {
                    output.Add(new TagSample(tag, time, double.NaN, SampleQuality.Bad));
                }
            }
        }
    }

    private static bool InNode(string scope, string nodeScope) =>
        scope == nodeScope || (scope.Length > nodeScope.Length && scope.StartsWith(nodeScope, StringComparison.Ordinal) && scope[nodeScope.Length] == '/');

    private static bool TryTime(ulong? ms, DateTimeOffset fallback, out DateTimeOffset time, out string? problem)
    {
        problem = null;
        time = fallback;
        if (ms is not { } value)
        {
            return true;
        }

        if (value > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            problem = $"timestamp {value} ms is past year 9999";
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds((long)value);
        return true;
    }

    private static Dictionary<TKey, TValue> Table<TKey, TValue>(Dictionary<string, Dictionary<TKey, TValue>> tables, string scope)
        where TKey : notnull
    {
        if (!tables.TryGetValue(scope, out var table))
        {
            tables[scope] = table = [];
        }

        return table;
    }
}
