using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Serial;

/// <summary>Turns one text line from an instrument into tag samples.</summary>
public interface ILineParser
{
    /// <summary>Appends the line's samples; returns null, or what is wrong with the line (nothing appended then).</summary>
    string? Parse(string line, DateTimeOffset arrival, List<TagSample> output);
}
