using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>Turns one message payload into tag samples.</summary>
public interface IPayloadDecoder
{
    /// <summary>
    /// Appends the payload's samples to <paramref name="output"/>; returns null, or what is wrong with it. When the whole
    /// payload is unreadable nothing is appended; when one tag's value is, that tag gets a
    /// <see cref="SampleQuality.Bad"/> sample (so the problem is counted on the tag) and the other tags their values.
    /// </summary>
    string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output);
}
