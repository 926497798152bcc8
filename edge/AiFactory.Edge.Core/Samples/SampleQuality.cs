namespace AiFactory.Edge.Core.Samples;

/// <summary>A source's own verdict on a value.</summary>
public enum SampleQuality
{
    Good = 0,
    /// <summary>Outside the tag's configured valid range.</summary>
    OutOfRange = 1,
    /// <summary>The source could not decode a value (it is NaN).</summary>
    Bad = 2,
}
