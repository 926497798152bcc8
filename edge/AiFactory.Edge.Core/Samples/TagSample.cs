namespace AiFactory.Edge.Core.Samples;

/// <summary>One timestamped value of one tag, as a source read it (already scaled to engineering units).</summary>
/// <param name="Tag">The tag's configured name.</param>
/// <param name="Timestamp">When the value was measured (source time where the source has one, else arrival time), UTC.</param>
/// <param name="Value">The value in the tag's unit.</param>
/// <param name="Quality">Whether the source considers the value good.</param>
public readonly record struct TagSample(string Tag, DateTimeOffset Timestamp, double Value, SampleQuality Quality = SampleQuality.Good);
