using AiFactory.Edge.Uplink.Outbox;
using YamlDotNet.RepresentationModel;

namespace AiFactory.Edge.Config;

/// <summary>
/// Reads the <c>edge:</c> identity, the <c>uplink:</c> section and each station's <c>line:</c> and
/// <c>pass_classes:</c> and <c>raw_upload:</c>, with the same file:line:column problems as the rest of the file. Without an
/// <c>uplink:</c> section there is nothing to read and the agent sends nothing.
/// </summary>
public static class UplinkConfigReader
{
    public static readonly string[] StationKeys = ["line", "pass_classes", "raw_upload"];

    private static readonly string[] PassByDefault = ["ok", "good", "pass", "normal", "none"];

    public static UplinkDefinition? Read(ConfigNode root, string baseFolder, IReadOnlyList<StationDefinition> stations)
    {
        ArgumentNullException.ThrowIfNull(root);
        var identity = ReadIdentity(root);
        if (root.Map("uplink", "hub", "api_key", "window_s", "outbox", "batch_records", "batch_kb", "backoff_cap_s", "timeout_s", "trusted_keys") is not { } uplink)
        {
            return null;
        }

        if (root.Child("edge") is null)
        {
            root.Problems.Add(uplink.Node, "edge", "is required when uplink is configured", "edge: {id: plant1-edge-a, company: acme, plant: plant-1} — the hub checks the key owns them");
        }

        var hub = ReadHub(uplink);
        var key = uplink.String("api_key", required: true, hint: "api_key: ${AIFACTORY_HUB_KEY} — the key the hub answered when the edge was registered; keep it out of the file");
        var window = uplink.Int("window_s", 10, 1, 86_400);
        if (86_400 % window != 0)
        {
            uplink.Problems.Add(uplink.Child("window_s"), uplink.Key("window_s"), $"{window} s does not divide a day evenly", "windows align to the clock: 1, 5, 10, 15, 30, 60 … seconds");
        }

        var outbox = ReadOutbox(uplink, baseFolder);
        var perStation = ReadStations(root, stations);
        var batchRecords = uplink.Int("batch_records", 500, 1, 100_000);
        var batchKb = uplink.Int("batch_kb", 1024, 1, 8 * 1024);
        var backoffCap = uplink.Int("backoff_cap_s", 300, 1, 86_400);
        var timeout = uplink.Int("timeout_s", 30, 1, 3_600);
        if (identity is null || hub is null || key is null || outbox is null)
        {
            return null;
        }

        var trusted = ReadTrustedKeys(uplink);
        return new UplinkDefinition(identity, hub, key, TimeSpan.FromSeconds(window), outbox, batchRecords, batchKb * 1024L, TimeSpan.FromSeconds(backoffCap), TimeSpan.FromSeconds(timeout), perStation)
        {
            TrustedKeys = trusted,
        };
    }

    private static EdgeIdentity? ReadIdentity(ConfigNode root)
    {
        if (root.Map("edge", "id", "company", "plant") is not { } edge)
        {
            return null;
        }

        var id = edge.Id("id", required: true, hint: "the edge's id on the hub, e.g. plant1-edge-a");
        var company = edge.Id("company", required: true, hint: "the company id on the hub");
        var plant = edge.Id("plant", required: true, hint: "the plant id on the hub; the edge's key is bound to it");
        return id is null || company is null || plant is null ? null : new EdgeIdentity(id, company, plant);
    }

    private static Uri? ReadHub(ConfigNode uplink)
    {
        var text = uplink.String("hub", required: true, hint: "the hub's address, e.g. http://127.0.0.1:5080/");
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var hub) || (hub.Scheme != Uri.UriSchemeHttp && hub.Scheme != Uri.UriSchemeHttps))
        {
            uplink.Problems.Add(uplink.Child("hub"), uplink.Key("hub"), $"'{text}' is not an http:// or https:// address", "e.g. https://hub.example.org/ or http://127.0.0.1:5080/");
            return null;
        }

        return hub;
    }

    private static OutboxOptions? ReadOutbox(ConfigNode uplink, string baseFolder)
    {
        var outbox = uplink.Map("outbox", "path", "max_mb", "max_age_h", "when_full");
        var path = outbox?.String("path") ?? "aifactory-outbox.db";
        var policyText = outbox?.String("when_full") ?? "drop-oldest";
        OutboxFullPolicy? policy = policyText switch
        {
            "drop-oldest" => OutboxFullPolicy.DropOldest,
            "reject-new" => OutboxFullPolicy.RejectNew,
            _ => null,
        };
        if (policy is null)
        {
            outbox!.Problems.Add(outbox.Child("when_full"), outbox.Key("when_full"), $"'{policyText}' is not a policy", "drop-oldest (keep producing, lose the oldest unsent records) or reject-new (keep what is stored, refuse new records)");
            return null;
        }

        return new OutboxOptions
        {
            Path = Path.GetFullPath(Path.Combine(baseFolder, path)),
            MaxBytes = (outbox?.Int("max_mb", 256, 1, 1_000_000) ?? 256) * 1024L * 1024,
            MaxAge = TimeSpan.FromHours(outbox?.Int("max_age_h", 168, 1, 87_600) ?? 168),
            FullPolicy = policy.Value,
        };
    }

    private static Dictionary<string, StationUplink> ReadStations(ConfigNode root, IReadOnlyList<StationDefinition> stations)
    {
        var result = new Dictionary<string, StationUplink>(StringComparer.Ordinal);
        if (root.Child("stations") is not YamlSequenceNode items)
        {
            return result;
        }

        for (var i = 0; i < items.Children.Count; i++)
        {
            if (items.Children[i] is not YamlMappingNode map)
            {
                continue;
            }

            var item = new ConfigNode(map, $"stations[{i}]", root.Problems);
            var name = (item.Child("name") as YamlScalarNode)?.Value;
            var line = item.Id("line", required: true, hint: "the line the station belongs to on the hub, e.g. line: line-1");
            var definition = stations.FirstOrDefault(s => s.Name == name);
            var pass = ReadPassClasses(item, definition);
            var raw = item.Bool("raw_upload", false);
            if (name is not null && line is not null)
            {
                result[name] = new StationUplink(line, pass, raw);
            }
        }

        return result;
    }

    private static List<string> ReadPassClasses(ConfigNode item, StationDefinition? station)
    {
        var classes = station?.Card.Output.Classes ?? [];
        var node = item.Child("pass_classes");
        if (node is null)
        {
            return classes.Where(c => PassByDefault.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        }

        var result = new List<string>();
        if (station is { Card.IsClassification: false })
        {
            item.Problems.Add(node, item.Key("pass_classes"), $"station '{station.Name}' runs anomaly model '{station.Card.Name}', which has no classes", "pass_classes applies to classification stations");
            return result;
        }

        if (node is not YamlSequenceNode list)
        {
            item.Problems.Add(node, item.Key("pass_classes"), "must be a list of class names", "pass_classes: [ok]");
            return result;
        }

        foreach (var entry in list.Children)
        {
            var name = (entry as YamlScalarNode)?.Value;
            if (name is null || (station is not null && !classes.Contains(name)))
            {
                item.Problems.Add(entry, item.Key("pass_classes"), $"'{name ?? entry.ToString()}' is not a class of model '{station?.Card.Name}'", $"its classes: {string.Join(", ", classes)}");
                continue;
            }

            result.Add(name);
        }

        return result;
    }

    /// <summary><c>trusted_keys: [3fa2…]</c>: signing key ids, 16 lower-case hex digits each (<c>aifactory model key create</c> prints them).</summary>
    private static List<string> ReadTrustedKeys(ConfigNode uplink)
    {
        var result = new List<string>();
        if (uplink.Child("trusted_keys") is not { } node)
        {
            return result;
        }

        if (node is not YamlSequenceNode list)
        {
            uplink.Problems.Add(node, uplink.Key("trusted_keys"), "must be a list of signing key ids", "trusted_keys: [3fa2c41b9d0e7a65]");
            return result;
        }

        foreach (var entry in list.Children)
        {
            var id = (entry as YamlScalarNode)?.Value;
            if (id is not { Length: 16 } || !id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                uplink.Problems.Add(entry, uplink.Key("trusted_keys"), $"'{id ?? entry.ToString()}' is not a signing key id (16 lower-case hex digits)", "aifactory model key create prints the key's id");
                continue;
            }

            result.Add(id);
        }

        return result;
    }
}
