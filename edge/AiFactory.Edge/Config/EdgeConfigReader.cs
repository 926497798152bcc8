using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Sources.Modbus.Native;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiFactory.Edge.Config;

/// <summary>Reads and validates an edge configuration file; on any problem it throws <see cref="EdgeConfigException"/> listing all of them.</summary>
public static class EdgeConfigReader
{
    private static readonly string[] SourceKeys =
    [
        "name", "type",
        "host", "port", "client_id", "username", "password", "protocol", "tls", "keepalive_s", "clean_session", "session_expiry_s", "queue_capacity", "subscriptions",
        "device", "baud", "parity", "data_bits", "stop_bits", "handshake", "read_timeout_ms", "terminator", "max_line_length", "pattern", "tag_prefix",
        "response_timeout_ms", "inter_request_delay_ms", "retries", "groups",
        "kind", "station", "seed", "speed",
    ];

    public static EdgeConfig Read(string file) => Read(file, LibModbusLocator.Names);

    /// <summary>As above, looking for libmodbus under <paramref name="modbusLibrary"/>'s names (a test points it at a missing one).</summary>
    internal static EdgeConfig Read(string file, IReadOnlyList<string> modbusLibrary)
    {
        var problems = new ConfigProblems(file);
        if (!File.Exists(file))
        {
            throw new EdgeConfigException([$"{file}: the configuration file does not exist"]);
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            problems.Add(ex.Start, "(file)", $"not valid YAML: {ex.Message}");
            throw new EdgeConfigException(problems.All);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, without a position, for some unterminated flow collections ("key: {") and some
            // event sequences it does not load (found by property tests and fuzzing).
            throw new EdgeConfigException([$"{file}: (file): not valid YAML: the parser stopped ({ex.Message}) (hint: look for an unclosed '{{' or '[' in a value)"]);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode rootMap)
        {
            throw new EdgeConfigException([$"{file}: expected a mapping with 'sources' and 'stations'"]);
        }

        var root = new ConfigNode(rootMap, string.Empty, problems, "sources", "tags", "stations", "outputs", "edge", "uplink");
        root.CheckKeys();
        var modbusMissing = new Lazy<string?>(() => LibModbusLocator.Missing(modbusLibrary));
        var sources = ReadSources(root, problems, modbusMissing);
        var declared = new HashSet<string>(sources.SelectMany(s => s.Tags), StringComparer.Ordinal);
        var tags = TagsConfig.Read(root, sources);
        var stations = ReadStations(root, problems, Path.GetDirectoryName(Path.GetFullPath(file))!, declared);
        var output = ReadMqttOutput(root);
        var plc = ReadModbusOutput(root, stations, modbusMissing);
        var uplink = UplinkConfigReader.Read(root, Path.GetDirectoryName(Path.GetFullPath(file))!, stations);
        if (problems.Any)
        {
            throw new EdgeConfigException(problems.All);
        }

        return new EdgeConfig(file, sources, stations, output, plc, uplink)
        {
            Tags = tags,
            RestartFingerprint = string.Join('\n', new[] { "edge", "uplink" }.Select(k => root.Child(k)?.ToString() ?? string.Empty)),
            OutputsFingerprint = root.Child("outputs")?.ToString() ?? string.Empty,
        };
    }

    private static List<SourceDefinition> ReadSources(ConfigNode root, ConfigProblems problems, Lazy<string?> modbusMissing)
    {
        var result = new List<SourceDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var items = root.List("sources", SourceKeys);
        if (items.Count == 0)
        {
            problems.Add(root.Node, "sources", "at least one source is required", "- name: plant-broker  type: mqtt  host: 127.0.0.1 …");
        }

        foreach (var item in items)
        {
            var name = item.Id("name", required: true, hint: "the station's id, also on the hub, e.g. pump-1");
            if (name is not null && !names.Add(name))
            {
                problems.Add(item.Child("name"), item.Key("name"), $"'{name}' names two sources", "every source needs its own name");
            }

            var type = item.String("type", required: true, hint: "mqtt, serial, modbus or simulator");
            var source = type switch
            {
                "mqtt" => MqttSourceConfig.Read(item, name ?? "?"),
                "serial" => SerialSourceConfig.Read(item, name ?? "?"),
                "modbus" => ModbusSourceConfig.Read(item, name ?? "?", modbusMissing),
                "simulator" => SimulatorSourceConfig.Read(item, name ?? "?"),
                null => null,
                _ => Unknown(item, type),
            };
            if (source is not null)
            {
                result.Add(source with { Fingerprint = item.Node.ToString() });
            }
        }

        return result;
    }

    private static MqttOutputDefinition? ReadMqttOutput(ConfigNode root)
    {
        if (root.Map("outputs", "mqtt", "modbus")?.Map("mqtt", [.. MqttBrokerConfig.Keys, "topic", "qos", "max_results_per_message"]) is not { } mqtt)
        {
            return null;
        }

        var topic = mqtt.String("topic", required: true, hint: "a pattern with {station}, e.g. plant/line1/{station}/verdict");
        if (topic is not null && !topic.Contains("{station}", StringComparison.Ordinal))
        {
            mqtt.Problems.Add(mqtt.Child("topic"), mqtt.Key("topic"), $"'{topic}' has no {{station}}", "each station publishes to its own topic, e.g. plant/line1/{station}/verdict");
        }

        var broker = MqttBrokerConfig.Read(mqtt, "verdicts", $"aifactory-edge-out-{Environment.MachineName}");
        return topic is null ? null : new MqttOutputDefinition(broker, topic, mqtt.Int("qos", 1, 0, 2), mqtt.Int("max_results_per_message", 1, 1, 1000));
    }

    private static ModbusOutputDefinition? ReadModbusOutput(ConfigNode root, List<StationDefinition> stations, Lazy<string?> modbusMissing)
    {
        if (root.Map("outputs")?.Map("modbus", "host", "port", "device", "baud", "parity", "slave", "registers", "coils") is not { } plc)
        {
            return null;
        }

        ModbusSourceConfig.CheckLibrary(plc, modbusMissing);

        var host = plc.String("host");
        var device = plc.String("device");
        if ((host is null) == (device is null))
        {
            plc.Problems.Add(plc.Node, plc.Path, "needs either host (Modbus TCP) or device (Modbus RTU), not both");
        }

        var names = stations.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        Dictionary<string, int> Addresses(string key)
        {
            var result = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (station, text, at) in plc.Pairs(key))
            {
                if (!names.Contains(station))
                {
                    plc.Problems.Add(at, plc.Key($"{key}.{station}"), $"'{station}' is not a configured station", $"stations: {string.Join(", ", names)}");
                }
                else if (!int.TryParse(text, out var address) || address is < 0 or > 65535)
                {
                    plc.Problems.Add(at, plc.Key($"{key}.{station}"), $"'{text}' must be an address from 0 to 65535");
                }
                else
                {
                    result[station] = address;
                }
            }

            return result;
        }

        var parity = plc.String("parity") ?? "E";
        var bus = new Sources.Modbus.ModbusBusOptions
        {
            Name = "plc-verdicts",
            Host = host,
            Port = plc.Int("port", 502, 1, 65535),
            Device = device,
            Baud = plc.Int("baud", 19200, 1200, 230400),
            Parity = parity.Length == 1 ? parity[0] : 'E',
        };
        return new ModbusOutputDefinition(bus, plc.Int("slave", 1, 0, 247), Addresses("registers"), Addresses("coils"));
    }

    private static SourceDefinition? Unknown(ConfigNode item, string type)
    {
        item.Problems.Add(item.Child("type"), item.Key("type"), $"'{type}' is not a source type", "mqtt, serial, modbus or simulator");
        return null;
    }

    /// <summary>The model folder's files and their write times: a model replaced in place changes it.</summary>
    private static string ModelStamp(string folder) =>
        string.Join(';', Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)}@{File.GetLastWriteTimeUtc(f).Ticks}"));

    private static List<StationDefinition> ReadStations(ConfigNode root, ConfigProblems problems, string baseFolder, HashSet<string> declared)
    {
        var result = new List<StationDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in root.List("stations", ["name", "model", "tags", "trigger", "frame", .. UplinkConfigReader.StationKeys]))
        {
            var name = item.Id("name", required: true, hint: "the station's id, also on the hub, e.g. pump-1");
            if (name is not null && !names.Add(name))
            {
                problems.Add(item.Child("name"), item.Key("name"), $"'{name}' names two stations");
            }

            var model = item.String("model", required: true, hint: "a model folder holding card.yaml, relative to this file");
            ModelCard? card = null;
            var folder = string.Empty;
            try
            {
                folder = model is null ? string.Empty : Path.GetFullPath(Path.Combine(baseFolder, model));
            }
            catch (ArgumentException ex)
            {
                problems.Add(item.Child("model"), item.Key("model"), $"is not a usable path ({ex.Message})", "a model folder holding card.yaml, relative to this file");
                model = null;
            }

            if (model is not null)
            {
                try
                {
                    card = ModelCardReader.Read(folder);
                }
                catch (ModelCardException ex)
                {
                    problems.Add(item.Child("model"), item.Key("model"), ex.Problems[0]);
                }
            }

            var tags = item.Pairs("tags");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (feature, tag, at) in tags)
            {
                if (!declared.Contains(tag))
                {
                    problems.Add(at, item.Key($"tags.{feature}"), $"tag '{tag}' is produced by no source", "declare it in a source: a json/delimited tag, a number topic, a regex group or a Modbus point");
                }

                map[feature] = tag;
            }

            if (card is not null)
            {
                foreach (var feature in card.Input.Features.Where(f => !map.ContainsKey(f)))
                {
                    problems.Add(item.Child("tags") ?? item.Node, item.Key($"tags.{feature}"), $"model '{card.Name}' needs feature '{feature}' and no tag feeds it", $"tags: {{{feature}: <tag>}}");
                }

                foreach (var extra in map.Keys.Where(f => !card.Input.Features.Contains(f)))
                {
                    problems.Add(item.Child("tags"), item.Key($"tags.{extra}"), $"model '{card.Name}' has no feature '{extra}'", $"its features: {string.Join(", ", card.Input.Features)}");
                }
            }

            var trigger = item.String("trigger");
            if (trigger is not null && !declared.Contains(trigger))
            {
                problems.Add(item.Child("trigger"), item.Key("trigger"), $"tag '{trigger}' is produced by no source");
            }

            if (name is not null && card is not null)
            {
                result.Add(new StationDefinition(name, folder, card, map, trigger)
                {
                    Alignment = TagsConfig.Alignment(item, trigger is not null),
                    Stride = TagsConfig.Stride(item, card, trigger is not null),
                    Fingerprint = $"{item.Node}\n{card.Name} {card.Version} {ModelStamp(folder)}",
                });
            }
        }

        return result;
    }
}
