using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Decoding;

/// <summary>A decoder that needs the message's topic too (Sparkplug B: message type, edge node and device are in it).</summary>
public interface ITopicPayloadDecoder : IPayloadDecoder
{
    /// <summary>As <see cref="IPayloadDecoder.Decode"/>, knowing the topic the payload came on.</summary>
    string? Decode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output);
}
