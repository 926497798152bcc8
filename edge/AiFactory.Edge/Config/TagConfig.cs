using AiFactory.Edge.Core.Frames;

namespace AiFactory.Edge.Config;

/// <summary>Reads the <c>tags:</c> list: each tag's source and address, data type, unit, scale/offset, valid range, staleness and period.</summary>
internal static class TagConfig
{
    private static readonly string[] Keys = ["name", "source", "address", "type", "unit", "scale", "offset", "min", "max", "stale_after_ms", "period_ms"];
    private static readonly string[] Types = ["float", "int", "bool"];

    /// <param name="produced">Each source's name and the addresses it produces.</param>
    public static Dictionary<string, TagDefinition> Read(ConfigNode root, IReadOnlyList<SourceDefinition> produced, Dictionary<string, string> fingerprints)
    {
        var result = new Dictionary<string, TagDefinition>(StringComparer.Ordinal);
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in root.List("tags", Keys))
        {
            var name = item.String("name", required: true, hint: "the name stations use, e.g. pump-1.flow");
            var sourceName = item.String("source", required: true, hint: $"one of the sources: {string.Join(", ", produced.Select(s => s.Name))}");
            var address = item.String("address", required: true, hint: "the name the source gives the value: a json/delimited tag, a number topic's tag, a regex group or a Modbus point's tag");
            var type = item.String("type") ?? "float";
            if (Array.IndexOf(Types, type) < 0)
            {
                item.Problems.Add(item.Child("type"), item.Key("type"), $"'{type}' is not a tag data type", "float, int or bool");
            }

            var source = sourceName is null ? null : produced.FirstOrDefault(s => s.Name == sourceName);
            if (sourceName is not null && source is null)
            {
                item.Problems.Add(item.Child("source"), item.Key("source"), $"'{sourceName}' is not a configured source", $"sources: {string.Join(", ", produced.Select(s => s.Name))}");
            }
            else if (source is not null && address is not null && !source.Tags.Contains(address))
            {
                item.Problems.Add(item.Child("address"), item.Key("address"), $"source '{source.Name}' produces no '{address}'", $"it produces: {Preview(source.Tags)}");
            }

            if (address is not null && addresses.TryGetValue(address, out var other))
            {
                item.Problems.Add(item.Child("address"), item.Key("address"), $"'{address}' already feeds tag '{other}'", "one address feeds one tag");
            }

            var spec = ReadSpec(item, name ?? "?", type == "bool");
            if (name is null || address is null || sourceName is null)
            {
                continue;
            }

            addresses[address] = name;
            if (!result.TryAdd(name, new TagDefinition(name, sourceName, address, type, item.String("unit"), spec)))
            {
                item.Problems.Add(item.Child("name"), item.Key("name"), $"'{name}' names two tags", "every tag needs its own name");
            }

            fingerprints[$"tag:{name}"] = item.Node.ToString();
        }

        return result;
    }

    private static TagSpec ReadSpec(ConfigNode item, string name, bool isBool)
    {
        var scale = item.Double("scale", 1.0);
        if (scale == 0 || !double.IsFinite(scale))
        {
            item.Problems.Add(item.Child("scale"), item.Key("scale"), $"'{item.String("scale")}' cannot scale a value", "a finite factor other than 0, e.g. 0.1");
        }

        var min = item.Double("min", isBool ? 0 : double.NegativeInfinity);
        var max = item.Double("max", isBool ? 1 : double.PositiveInfinity);
        if (min > max)
        {
            item.Problems.Add(item.Child("max"), item.Key("max"), $"'{item.String("max")}' is below min '{item.String("min")}'", "the valid range is min ≤ value ≤ max");
        }

        return new TagSpec(name)
        {
            Scale = scale,
            Offset = item.Double("offset", 0.0),
            Min = min,
            Max = max,
            StaleAfter = Milliseconds(item, "stale_after_ms"),
            ExpectedPeriod = Milliseconds(item, "period_ms"),
        };
    }

    /// <summary>An optional positive duration in whole milliseconds.</summary>
    public static TimeSpan? Milliseconds(ConfigNode item, string key)
    {
        if (item.Child(key) is null)
        {
            return null;
        }

        var ms = item.Int(key, -1, 1, int.MaxValue);
        return ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
    }

    private static string Preview(IReadOnlyList<string> tags) =>
        tags.Count <= 8 ? string.Join(", ", tags) : $"{string.Join(", ", tags.Take(8))} … ({tags.Count} in all)";
}
