using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;

namespace AiFactory.Edge.Config;

/// <summary>Reads the top-level <c>tags:</c> list and a station's <c>frame:</c> alignment.</summary>
internal static class TagsConfig
{
    public static List<TagDefinition> Read(ConfigNode root, IReadOnlyList<SourceDefinition> sources)
    {
        var result = new List<TagDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var produced = new HashSet<string>(sources.SelectMany(s => s.Tags), StringComparer.Ordinal);
        foreach (var item in root.List("tags", "name", "source", "type", "unit", "scale", "offset", "min", "max", "stale_after_ms", "period_ms"))
        {
            var name = item.String("name", required: true, hint: "the tag as a source names it, e.g. pump-1/acc1");
            if (name is null)
            {
                continue;
            }

            if (!names.Add(name))
            {
                item.Problems.Add(item.Child("name"), item.Key("name"), $"'{name}' is defined twice", "one entry per tag");
            }

            var sourceName = item.String("source");
            var source = sourceName is null ? null : sources.FirstOrDefault(s => s.Name == sourceName);
            if (sourceName is not null && source is null)
            {
                item.Problems.Add(item.Child("source"), item.Key("source"), $"'{sourceName}' is not a configured source", $"sources: {string.Join(", ", sources.Select(s => s.Name))}");
            }
            else if (source is not null && !source.Tags.Contains(name))
            {
                item.Problems.Add(item.Child("name"), item.Key("name"), $"source '{source.Name}' produces no tag '{name}'", $"it produces: {Preview(source.Tags)}");
            }
            else if (source is null && !produced.Contains(name))
            {
                item.Problems.Add(item.Child("name"), item.Key("name"), $"tag '{name}' is produced by no source", "declare it in a source first: a json/delimited tag, a number topic, a regex group or a Modbus point");
            }

            var scale = item.Double("scale", 1);
            if (scale == 0)
            {
                item.Problems.Add(item.Child("scale"), item.Key("scale"), "must not be 0", "value = read × scale + offset");
            }

            var type = ReadType(item);
            var min = item.OptionalDouble("min") ?? (type == TagDataType.Bool ? 0 : null);
            var max = item.OptionalDouble("max") ?? (type == TagDataType.Bool ? 1 : null);
            if (min is not null && max is not null && min >= max)
            {
                item.Problems.Add(item.Child("max"), item.Key("max"), $"max {max} is not above min {min}", "the valid range is min..max in the tag's unit");
            }

            result.Add(new TagDefinition(name, item.String("unit"), scale, item.Double("offset", 0), min, max, item.OptionalMilliseconds("stale_after_ms"), item.OptionalMilliseconds("period_ms"), type, source?.Name));
        }

        return result;
    }

    public static AlignmentOptions Alignment(ConfigNode station, bool perPart)
    {
        if (station.Map("frame", "max_skew_ms", "missing", "stale_after_ms", "stride") is not { } frame)
        {
            return new AlignmentOptions();
        }

        var missing = frame.String("missing") switch
        {
            null or "hold-last" => MissingTagPolicy.HoldLast,
            "drop" => MissingTagPolicy.Drop,
            var other => Bad(frame, other),
        };
        var skew = frame.OptionalMilliseconds("max_skew_ms");
        if (skew is not null && perPart)
        {
            frame.Problems.Add(frame.Child("max_skew_ms"), frame.Key("max_skew_ms"), "applies to per-sample stations only", "a per-part station's frame is closed by its trigger; use stale_after_ms to refuse old values");
        }

        return new AlignmentOptions(skew, missing, frame.OptionalMilliseconds("stale_after_ms"));
    }

    /// <summary>
    /// <c>frame.stride</c>: score every N-th sliding window of a per-sample anomaly station (every sample still enters
    /// the window); 1 = every sample.
    /// </summary>
    public static int Stride(ConfigNode station, AiFactory.Edge.Core.Models.ModelCard? card, bool perPart)
    {
        if (station.Map("frame") is not { } frame || frame.Child("stride") is null)
        {
            return 1;
        }

        var stride = frame.Int("stride", 1, 1, 100_000);
        if (perPart || card is { IsAnomaly: false })
        {
            frame.Problems.Add(frame.Child("stride"), frame.Key("stride"), "applies to per-sample anomaly stations only", "a classifier scores every frame (or every part, with a trigger)");
        }

        return stride;
    }

    private static TagDataType ReadType(ConfigNode item)
    {
        switch (item.String("type"))
        {
            case null or "float":
                return TagDataType.Float;
            case "int":
                return TagDataType.Int;
            case "bool":
                return TagDataType.Bool;
            case var other:
                item.Problems.Add(item.Child("type"), item.Key("type"), $"'{other}' is not a tag data type", "float, int (whole numbers) or bool (0 or 1)");
                return TagDataType.Float;
        }
    }

    private static string Preview(IReadOnlyList<string> tags) =>
        tags.Count <= 8 ? string.Join(", ", tags) : $"{string.Join(", ", tags.Take(8))} … ({tags.Count} in all)";

    private static MissingTagPolicy Bad(ConfigNode frame, string value)
    {
        frame.Problems.Add(frame.Child("missing"), frame.Key("missing"), $"'{value}' is not a policy", "hold-last (use the tag's last good value) or drop (drop the frame)");
        return MissingTagPolicy.HoldLast;
    }
}
