using System.Text.Json;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>One step of a JSON field path: a property name or an array index.</summary>
internal readonly record struct PathStep(string? Property, int Index)
{
    public static PathStep[] Parse(string path)
    {
        var steps = new List<PathStep>();
        foreach (var part in path.TrimStart('$').TrimStart('.').Split('.'))
        {
            var name = part;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var rest = bracket >= 0 ? name[bracket..] : string.Empty;
            name = bracket >= 0 ? name[..bracket] : name;
            if (name.Length > 0)
            {
                steps.Add(new PathStep(name, -1));
            }

            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (!rest.StartsWith('[') || close < 0 || !int.TryParse(rest[1..close], out var index) || index < 0)
                {
                    throw new FormatException($"JSON path '{path}': '{rest}' is not an array index like [0]");
                }

                steps.Add(new PathStep(null, index));
                rest = rest[(close + 1)..];
            }
        }

        if (steps.Count == 0)
        {
            throw new FormatException($"JSON path '{path}' is empty");
        }

        return [.. steps];
    }

    public static JsonElement? Find(JsonElement root, PathStep[] steps)
    {
        var current = root;
        foreach (var step in steps)
        {
            if (step.Property is { } name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return null;
                }
            }
            else if (current.ValueKind != JsonValueKind.Array || step.Index >= current.GetArrayLength())
            {
                return null;
            }
            else
            {
                current = current[step.Index];
            }
        }

        return current;
    }
}
