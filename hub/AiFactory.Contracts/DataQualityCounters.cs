namespace AiFactory.Contracts;

/// <summary>Data-quality problems counted for one tag during a window.</summary>
/// <param name="Tag">The tag (sensor or PLC address name).</param>
/// <param name="Stale">Samples older than the tag's staleness limit.</param>
/// <param name="OutOfRange">Samples outside the tag's configured range.</param>
/// <param name="NaN">Samples that were NaN.</param>
/// <param name="Gaps">Expected samples that never arrived.</param>
/// <param name="DecodeErrors">Raw readings that could not be decoded.</param>
public sealed record DataQualityCounters(string Tag, long Stale, long OutOfRange, long NaN, long Gaps, long DecodeErrors);
