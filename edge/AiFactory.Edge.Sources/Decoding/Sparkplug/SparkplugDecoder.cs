using AiFactory.Edge.Core.Samples;
using Google.Protobuf;

namespace AiFactory.Edge.Sources.Decoding.Sparkplug;

/// <summary>
/// Sparkplug B over MQTT (<c>spBv1.0/&lt;group&gt;/&lt;type&gt;/&lt;node&gt;[/&lt;device&gt;]</c>): NDATA/DDATA (and the values in
/// NBIRTH/DBIRTH) become samples of the tags mapped to <c>&lt;node&gt;/&lt;metric&gt;</c> or <c>&lt;node&gt;/&lt;device&gt;/&lt;metric&gt;</c>;
/// BIRTH messages teach the metric aliases that DATA messages may use instead of names; NDEATH/DDEATH turn the node's
/// (or device's) mapped tags Bad. Time: the metric's timestamp, else the payload's, else arrival. Null metrics give a
/// Bad sample; string, bytes, dataset and template metrics are not numbers and are counted, not decoded.
/// </summary>
public sealed class SparkplugDecoder(IReadOnlyDictionary<string, string> tagsByMetric) : ITopicPayloadDecoder
{
    private readonly Dictionary<(string Group, string Node, ulong Alias), (string Name, uint DataType)> _aliases = [];

    // metric ("group/node[/device]/name") → the datatype its BIRTH declared, for DATA metrics sent without one
    private readonly Dictionary<string, uint> _types = new(StringComparer.Ordinal);
    private long _ignored;

    /// <summary>Metrics read but not used: not mapped to a tag, or not numeric.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    public string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output) =>
        "a Sparkplug B payload needs its topic (spBv1.0/<group>/<type>/<node>[/<device>])";

    public string? Decode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output)
    {
        var parts = topic.Split('/');
        if (parts.Length is < 4 or > 5 || parts[0] != "spBv1.0")
        {
            return $"topic '{topic}' is not a Sparkplug B topic (spBv1.0/<group>/<type>/<node>[/<device>])";
        }

        var (group, type, node) = (parts[1], parts[2], parts[3]);
        var device = parts.Length == 5 ? parts[4] : null;
        var prefix = device is null ? $"{node}/" : $"{node}/{device}/";
        if (type is "NDEATH" or "DDEATH")
        {
            // A death certificate: every mapped tag of the node (or device) has no valid value from now on.
            foreach (var (metric, tag) in tagsByMetric.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                output.Add(new TagSample(tag, arrival, double.NaN, SampleQuality.Bad));
            }

            return null;
        }

        if (type is not ("NBIRTH" or "DBIRTH" or "NDATA" or "DDATA"))
        {
            return null; // commands and STATE carry no measurements
        }

        (ulong? TimestampMs, ulong? Seq, List<SparkplugMetric> Metrics) read;
        try
        {
            read = SparkplugPayloadReader.Read(payload);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or FormatException)
        {
            return $"not a Sparkplug B payload: {ex.Message}";
        }

        string? problem = null;
        foreach (var m in read.Metrics)
        {
            var name = m.Name;
            var datatype = m.DataType;
            if (name is not null && type.EndsWith("BIRTH", StringComparison.Ordinal))
            {
                _types[$"{group}/{prefix}{name}"] = datatype;
                if (m.Alias is { } alias)
                {
                    _aliases[(group, node, alias)] = (name, datatype);
                }
            }
            else if (name is null && m.Alias is { } a)
            {
                if (!_aliases.TryGetValue((group, node, a), out var known))
                {
                    problem ??= $"metric alias {a} of node '{node}' is unknown (no NBIRTH/DBIRTH seen since this agent started)";
                    continue;
                }

                name = known.Name;
                datatype = datatype == 0 ? known.DataType : datatype;
            }
            else if (name is not null && datatype == 0)
            {
                datatype = _types.GetValueOrDefault($"{group}/{prefix}{name}");
            }

            if (name is null || !tagsByMetric.TryGetValue(prefix + name, out var tag) || m.NotNumeric)
            {
                Interlocked.Increment(ref _ignored);
                continue;
            }

            var ms = m.TimestampMs ?? read.TimestampMs;
            var time = ms is { } t && t <= (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds((long)t) : arrival;
            output.Add(m.ValueAs(datatype) is { } v ? new TagSample(tag, time, v) : new TagSample(tag, time, double.NaN, SampleQuality.Bad));
        }

        return problem;
    }
}
