using System.Globalization;
using System.Text;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>A payload that is one number in text (e.g. "31.8"), stamped with the arrival time.</summary>
public sealed class NumberPayloadDecoder(string tag) : IPayloadDecoder
{
    public string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output)
    {
        var text = Encoding.UTF8.GetString(payload).Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            output.Add(new TagSample(tag, arrival, double.NaN, SampleQuality.Bad));
            return $"'{Shorten(text)}' is not a number";
        }

        output.Add(new TagSample(tag, arrival, value));
        return null;
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
