using System.Globalization;
using System.Text.Json;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>
/// A JSON payload: each tag reads a field path ("sensors.p1", "values[2]", "a.b[0].c"); the time comes
/// from a field (ISO-8601 text or epoch milliseconds) or, without one, from the arrival time.
/// </summary>
public sealed class JsonPayloadDecoder : IPayloadDecoder
{
    private readonly (string Tag, string Path, PathStep[] Steps)[] _fields;
    private readonly (string Path, PathStep[] Steps)? _timestamp;

    public JsonPayloadDecoder(IReadOnlyDictionary<string, string> tagPaths, string? timestampPath = null)
    {
        _fields = tagPaths.Select(kv => (kv.Key, kv.Value, PathStep.Parse(kv.Value))).ToArray();
        _timestamp = timestampPath is null ? null : (timestampPath, PathStep.Parse(timestampPath));
    }

    public string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return $"malformed JSON: {ex.Message}";
        }

        using (document)
        {
            var time = arrival;
            if (_timestamp is { } ts)
            {
                if (PathStep.Find(document.RootElement, ts.Steps) is not { } t || !TryTime(t, out time))
                {
                    return $"timestamp field '{ts.Path}' is missing or is neither ISO-8601 text nor epoch milliseconds of the years 0001–9999";
                }
            }

            string? problem = null;
            foreach (var (tag, path, steps) in _fields)
            {
                if (PathStep.Find(document.RootElement, steps) is not { } value)
                {
                    problem ??= $"field '{path}' (tag '{tag}') is missing";
                    output.Add(new TagSample(tag, time, double.NaN, SampleQuality.Bad));
                }
                else if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
                {
                    problem ??= $"field '{path}' (tag '{tag}') is {value.ValueKind}, not a number";
                    output.Add(new TagSample(tag, time, double.NaN, SampleQuality.Bad));
                }
                else
                {
                    output.Add(new TagSample(tag, time, number));
                }
            }

            return problem;
        }
    }

    private static bool TryTime(JsonElement element, out DateTimeOffset time)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var ms))
        {
            return EpochMilliseconds.TryTime(ms, out time);
        }

        time = default;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        string? text;
        try
        {
            text = element.GetString();
        }
        catch (InvalidOperationException)
        {
            // Text that is not valid UTF-8 (found by fuzzing): not a time, like any other unreadable text.
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
