using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>Turns one message payload into tag samples.</summary>
public interface IPayloadDecoder
{
    /// <summary>Appends the payload's samples to <paramref name="output"/>; returns null, or what is wrong with the payload (nothing is appended then).</summary>
    string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output);

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, DateTimeOffset, List{TagSample})"/>, for formats whose topic carries meaning (Sparkplug B names the edge node and device in it).</summary>
    string? Decode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output) => Decode(payload, arrival, output);
}
