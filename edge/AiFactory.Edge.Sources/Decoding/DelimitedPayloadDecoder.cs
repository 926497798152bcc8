using System.Globalization;
using System.Text;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>
/// A delimited text payload ("31.8;0.027;0.040"): each tag reads one 0-based column; an optional column holds
/// the time (ISO-8601 or epoch milliseconds), else the arrival time is used.
/// </summary>
public sealed class DelimitedPayloadDecoder(char separator, IReadOnlyDictionary<string, int> tagColumns, int? timestampColumn = null) : IPayloadDecoder
{
    public string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output)
    {
        var fields = Encoding.UTF8.GetString(payload).Trim().Split(separator);
        var time = arrival;
        if (timestampColumn is { } tc)
        {
            if (tc >= fields.Length)
            {
                return $"{fields.Length} column(s), the timestamp is column {tc}";
            }

            var text = fields[tc].Trim();
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                if (!EpochMilliseconds.TryTime(ms, out time))
                {
                    return $"timestamp column {tc} = '{NumberPayloadDecoder.Shorten(text)}' is epoch milliseconds outside the years 0001–9999";
                }
            }
            else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
            {
                return $"timestamp column {tc} = '{NumberPayloadDecoder.Shorten(text)}' is neither ISO-8601 nor epoch milliseconds";
            }
        }

        string? problem = null;
        foreach (var (tag, column) in tagColumns)
        {
            if (column >= fields.Length)
            {
                problem ??= $"{fields.Length} column(s), tag '{tag}' reads column {column}";
                output.Add(new TagSample(tag, time, double.NaN, SampleQuality.Bad));
            }
            else if (!double.TryParse(fields[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                problem ??= $"column {column} (tag '{tag}') = '{NumberPayloadDecoder.Shorten(fields[column])}' is not a number";
                output.Add(new TagSample(tag, time, double.NaN, SampleQuality.Bad));
            }
            else
            {
                output.Add(new TagSample(tag, time, value));
            }
        }

        return problem;
    }
}
