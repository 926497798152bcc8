using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Config;

internal static class MqttSourceConfig
{
    public static SourceDefinition? Read(ConfigNode item, string name)
    {
        var tags = new List<string>();
        var subscriptions = new List<MqttSubscription>();
        foreach (var s in item.List("subscriptions", "topic", "qos", "json", "number", "delimited", "sparkplug"))
        {
            var topic = s.String("topic", required: true, hint: "an MQTT topic filter, + and # allowed");
            var qos = s.Int("qos", 1, 0, 2);
            if (Decoder(s, tags) is { } decoder && topic is not null)
            {
                subscriptions.Add(new MqttSubscription(topic, qos, decoder));
            }
        }

        if (subscriptions.Count == 0)
        {
            item.Problems.Add(item.Node, item.Key("subscriptions"), "an MQTT source needs at least one subscription", "- topic: plant/line1/#  json: {tags: {tag: field.path}}");
        }

        var options = MqttBrokerConfig.Read(item, name, $"aifactory-edge-{name}", item.Int("queue_capacity", MqttBrokerConfig.Defaults.QueueCapacity, 1, 10_000_000), subscriptions);
        return new SourceDefinition(name, "mqtt", tags, logs => new MqttSource(options, logs.CreateLogger<MqttSource>()));
    }

    private static IPayloadDecoder? Decoder(ConfigNode s, List<string> tags)
    {
        var json = s.Map("json", "tags", "timestamp");
        var number = s.String("number");
        var delimited = s.Map("delimited", "separator", "tags", "timestamp_column");
        var sparkplug = s.Map("sparkplug", "metrics");
        if ((json is null ? 0 : 1) + (number is null ? 0 : 1) + (delimited is null ? 0 : 1) + (sparkplug is null ? 0 : 1) != 1)
        {
            s.Problems.Add(s.Node, s.Path, "needs exactly one payload format: json, number, delimited or sparkplug", "json: {tags: {pump-1/flow: sensors.flow}, timestamp: ts}");
            return null;
        }

        if (sparkplug is not null)
        {
            // tag: <edge node>/<metric> or <edge node>/<device>/<metric>
            var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (tag, metric, at) in sparkplug.Pairs("metrics"))
            {
                if (metric.Split('/').Length < 2)
                {
                    s.Problems.Add(at, sparkplug.Key($"metrics.{tag}"), $"'{metric}' must name the edge node (and device) and the metric", "line1-gw/pump1/Flow or line1-gw/Flow");
                }
                else if (!metrics.TryAdd(metric, tag))
                {
                    s.Problems.Add(at, sparkplug.Key($"metrics.{tag}"), $"metric '{metric}' is mapped twice", "one tag per metric");
                }
            }

            if (metrics.Count == 0)
            {
                s.Problems.Add(sparkplug.Node, sparkplug.Key("metrics"), "maps no metric to a tag", "metrics: {pump-1/flow: line1-gw/pump1/Flow}");
            }

            tags.AddRange(metrics.Values);
            return new Sources.Decoding.Sparkplug.SparkplugDecoder(metrics);
        }

        if (number is not null)
        {
            tags.Add(number);
            return new NumberPayloadDecoder(number);
        }

        if (json is not null)
        {
            var paths = json.Pairs("tags").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            tags.AddRange(paths.Keys);
            try
            {
                return new JsonPayloadDecoder(paths, json.String("timestamp"));
            }
            catch (FormatException ex)
            {
                s.Problems.Add(json.Node, json.Key("tags"), ex.Message, "paths look like a.b[0].c");
                return null;
            }
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tag, text, at) in delimited!.Pairs("tags"))
        {
            if (int.TryParse(text, out var column) && column >= 0)
            {
                columns[tag] = column;
            }
            else
            {
                s.Problems.Add(at, delimited.Key($"tags.{tag}"), $"'{text}' must be a 0-based column number");
            }
        }

        tags.AddRange(columns.Keys);
        var separator = delimited.String("separator") ?? ",";
        if (separator.Length != 1)
        {
            s.Problems.Add(delimited.Node, delimited.Key("separator"), $"'{separator}' must be one character");
        }

        var time = delimited.Int("timestamp_column", -1, -1, 1000);
        return new DelimitedPayloadDecoder(separator[0], columns, time < 0 ? null : time);
    }
}
