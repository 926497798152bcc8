using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiFactory.Contracts;

/// <summary>
/// Reads and writes <see cref="HistogramData"/> in its plain camelCase form, allocating little when reading: bounds
/// equal to <see cref="StandardHistograms"/> (every edge's) come back as that shared, read-only list instead of a new
/// one, and counts land in one exact-size array. A hub parses two histograms per summary, tens of thousands a second.
/// </summary>
public sealed class HistogramDataConverter : JsonConverter<HistogramData>
{
    private const int MaxValues = 4096;

    /// <inheritdoc/>
    public override HistogramData? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a histogram must be a JSON object, not {reader.TokenType}.");
        }

        IReadOnlyList<double>? bounds = null;
        IReadOnlyList<long>? counts = null;
        double sum = 0;
        long count = 0;
        double? min = null;
        double? max = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException($"unexpected {reader.TokenType} in a histogram.");
            }

            if (reader.ValueTextEquals("bounds"u8))
            {
                reader.Read();
                bounds = ReadBounds(ref reader);
            }
            else if (reader.ValueTextEquals("counts"u8))
            {
                reader.Read();
                counts = ReadCounts(ref reader);
            }
            else if (reader.ValueTextEquals("sum"u8))
            {
                reader.Read();
                sum = reader.GetDouble();
            }
            else if (reader.ValueTextEquals("count"u8))
            {
                reader.Read();
                count = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("min"u8))
            {
                reader.Read();
                min = reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();
            }
            else if (reader.ValueTextEquals("max"u8))
            {
                reader.Read();
                max = reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new HistogramData(bounds!, counts!, sum, count, min, max);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, HistogramData value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("bounds"u8);
        foreach (var b in value.Bounds)
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("counts"u8);
        foreach (var c in value.Counts)
        {
            writer.WriteNumberValue(c);
        }

        writer.WriteEndArray();
        writer.WriteNumber("sum"u8, value.Sum);
        writer.WriteNumber("count"u8, value.Count);
        WriteNullable(writer, "min"u8, value.Min);
        WriteNullable(writer, "max"u8, value.Max);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static IReadOnlyList<double>? ReadBounds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        List<double>? many = null;
        Span<double> scratch = stackalloc double[64];
        var n = ReadNumbers(ref reader, "bounds", scratch, ref many);
        if (many is not null)
        {
            return many.ToArray();
        }

        ReadOnlySpan<double> read = scratch[..n];
        if (StandardHistograms.SameBounds(read, StandardHistograms.ScoreBounds))
        {
            return StandardHistograms.ScoreBounds;
        }

        return StandardHistograms.SameBounds(read, StandardHistograms.LatencyMsBounds) ? StandardHistograms.LatencyMsBounds : read.ToArray();
    }

    private static long[]? ReadCounts(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        List<long>? many = null;
        Span<long> scratch = stackalloc long[64];
        var n = ReadNumbers(ref reader, "counts", scratch, ref many);
        return many?.ToArray() ?? scratch[..n].ToArray();
    }

    /// <summary>
    /// Reads a JSON array of numbers (double or long) into <paramref name="scratch"/>, or, once it is full, into
    /// <paramref name="many"/>; answers how many values it read, at most <see cref="MaxValues"/>.
    /// </summary>
    private static int ReadNumbers<T>(ref Utf8JsonReader reader, string what, scoped Span<T> scratch, ref List<T>? many)
        where T : struct
    {
        Expect(ref reader, what);
        var n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var value = typeof(T) == typeof(double) ? (T)(object)reader.GetDouble() : (T)(object)reader.GetInt64();
            if (n < scratch.Length)
            {
                scratch[n] = value;
            }
            else
            {
                many ??= [.. scratch];
                many.Add(value);
            }

            if (++n > MaxValues)
            {
                throw new JsonException($"a histogram has more than {MaxValues} {what}.");
            }
        }

        return n;
    }

    private static void Expect(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"histogram {what} must be a JSON array of numbers, not {reader.TokenType}.");
        }
    }
}
