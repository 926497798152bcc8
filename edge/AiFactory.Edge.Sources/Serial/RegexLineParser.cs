using System.Globalization;
using System.Text.RegularExpressions;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Serial;

/// <summary>A line matched by a regular expression whose named groups are the tags (e.g. <c>T=(?&lt;temp&gt;[-\d.]+)</c>).</summary>
public sealed class RegexLineParser(string pattern, string tagPrefix = "") : ILineParser
{
    private readonly Regex _regex = new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));

    public string? Parse(string line, DateTimeOffset arrival, List<TagSample> output)
    {
        var match = _regex.Match(line);
        if (!match.Success)
        {
            return $"'{Shorten(line)}' does not match /{_regex}/";
        }

        string? problem = null;
        foreach (var name in _regex.GetGroupNames())
        {
            if (int.TryParse(name, out _))
            {
                continue;
            }

            var text = match.Groups[name].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                output.Add(new TagSample(tagPrefix + name, arrival, value));
            }
            else
            {
                // The line matched, so the bad value belongs to this tag: count it there, keep the others.
                problem ??= $"group '{name}' = '{text}' is not a number";
                output.Add(new TagSample(tagPrefix + name, arrival, double.NaN, SampleQuality.Bad));
            }
        }

        return problem;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
