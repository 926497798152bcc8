namespace AiFactory.Edge.Core.Tags;

/// <summary>A tag's data-quality counters since the agent started.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Stale">Times a frame needed the tag and its last value was older than its staleness limit.</param>
/// <param name="OutOfRange">Values outside the tag's valid range (not used in frames).</param>
/// <param name="NaN">Values that were NaN or infinite (not used in frames).</param>
/// <param name="Gaps">Samples that should have arrived (by the tag's period) and did not.</param>
/// <param name="DecodeErrors">Readings the source could not decode for this tag.</param>
public readonly record struct TagQualitySnapshot(string Tag, long Stale, long OutOfRange, long NaN, long Gaps, long DecodeErrors)
{
    public long Total => Stale + OutOfRange + NaN + Gaps + DecodeErrors;
}
