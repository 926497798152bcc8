using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AiFactory.Edge.Config;

/// <summary>
/// A YAML mapping read with its key path and positions, so every problem names the file, line, key and a
/// hint. Unknown keys are problems (a typo must not silently fall back to a default). ${NAME} in a scalar is
/// replaced by the environment variable NAME, so secrets stay out of the file.
/// </summary>
public sealed partial class ConfigNode(YamlMappingNode node, string path, ConfigProblems problems, params string[] known)
{
    public YamlMappingNode Node => node;

    public string Path => path;

    public ConfigProblems Problems => problems;

    public void CheckKeys()
    {
        foreach (var key in node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: var name })
            {
                // "? [a, b]: c" or "{a: 1}: c" (found by fuzzing): a key that is a list or a mapping names nothing.
                problems.Add(key, Key("(key)"), "a key must be plain text, not a list or a mapping");
                continue;
            }

            name ??= string.Empty;
            if (Array.IndexOf(known, name) < 0)
            {
                problems.Add(key, Key(name), "unknown key", $"known keys here: {string.Join(", ", known)}");
            }
        }
    }

    public string Key(string name) => path.Length == 0 ? name : $"{path}.{name}";

    public YamlNode? Child(string name) => node.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child : null;

    public string? String(string name, bool required = false, string? hint = null)
    {
        var child = Child(name);
        if (child is null)
        {
            if (required)
            {
                problems.Add(node, Key(name), "is required", hint);
            }

            return null;
        }

        if (child is not YamlScalarNode scalar)
        {
            problems.Add(child, Key(name), "must be a single value", hint);
            return null;
        }

        return Expand(scalar, Key(name));
    }

    /// <summary>An id (company, plant, line, station, edge): a string that follows <see cref="Contracts.EntityId.Grammar"/>; null (a problem recorded) when it does not.</summary>
    public string? Id(string name, bool required = false, string? hint = null)
    {
        var text = String(name, required, hint);
        if (text is null || Contracts.EntityId.IsValid(text))
        {
            return text;
        }

        problems.Add(Child(name), Key(name), Contracts.EntityId.Explain(text), hint);
        return null;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add(Child(name), Key(name), $"'{text}' must be a whole number from {min} to {max}");
            return fallback;
        }

        return value;
    }

    public double Double(string name, double fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            problems.Add(Child(name), Key(name), $"'{text}' is not a number");
            return fallback;
        }

        return value;
    }

    /// <summary>A finite number, or null when the key is absent (a problem when it is not a number).</summary>
    public double? OptionalDouble(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            problems.Add(Child(name), Key(name), $"'{text}' is not a number");
            return null;
        }

        return value;
    }

    /// <summary>A duration in milliseconds (positive), or null when the key is absent.</summary>
    public TimeSpan? OptionalMilliseconds(string name)
    {
        if (Child(name) is null)
        {
            return null;
        }

        var ms = Int(name, -1, 1, 86_400_000);
        return ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
    }

    public bool Bool(string name, bool fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!bool.TryParse(text, out var value))
        {
            problems.Add(Child(name), Key(name), $"'{text}' must be true or false");
            return fallback;
        }

        return value;
    }

    public ConfigNode? Map(string name, params string[] keys)
    {
        var child = Child(name);
        if (child is null)
        {
            return null;
        }

        if (child is not YamlMappingNode map)
        {
            problems.Add(child, Key(name), "must be a mapping of keys to values");
            return null;
        }

        var result = new ConfigNode(map, Key(name), problems, keys);
        if (keys.Length > 0)
        {
            result.CheckKeys();
        }

        return result;
    }

    /// <summary>A mapping whose keys are free (e.g. tag names) and whose values are scalars.</summary>
    public List<(string Key, string Value, YamlNode At)> Pairs(string name)
    {
        var result = new List<(string, string, YamlNode)>();
        if (Map(name) is not { } map)
        {
            return result;
        }

        foreach (var (k, v) in map.Node.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            if (v is YamlScalarNode scalar && map.Expand(scalar, map.Key(key)) is { } value)
            {
                result.Add((key, value, v));
            }
            else if (v is not YamlScalarNode)
            {
                problems.Add(v, map.Key(key), "must be a single value");
            }
        }

        return result;
    }

    public List<ConfigNode> List(string name, params string[] keys)
    {
        var result = new List<ConfigNode>();
        var child = Child(name);
        if (child is null)
        {
            return result;
        }

        if (child is not YamlSequenceNode sequence)
        {
            problems.Add(child, Key(name), "must be a list (items starting with '- ')");
            return result;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode map)
            {
                var item = new ConfigNode(map, $"{Key(name)}[{i}]", problems, keys);
                item.CheckKeys();
                result.Add(item);
            }
            else
            {
                problems.Add(sequence.Children[i], $"{Key(name)}[{i}]", "must be a mapping of keys to values");
            }
        }

        return result;
    }

    private string? Expand(YamlScalarNode scalar, string key)
    {
        var value = scalar.Value ?? string.Empty;
        var missing = false;
        var expanded = Variable().Replace(value, m =>
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(m.Groups[1].Value);
            if (fromEnvironment is null)
            {
                problems.Add(scalar, key, $"environment variable {m.Groups[1].Value} is not set", "export it before starting the agent; secrets stay out of the file");
                missing = true;
                return string.Empty;
            }

            return fromEnvironment;
        });
        return missing ? null : expanded;
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
