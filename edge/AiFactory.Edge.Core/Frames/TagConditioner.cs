using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Core.Frames;

/// <summary>
/// Turns one tag's raw samples into engineering values (scale, offset) and judges them: a value the source
/// could not decode, a NaN or infinity, a value outside [Min, Max], or one older than the staleness limit on
/// arrival is counted and marked; a sample arriving more than half a period late counts the samples missed
/// in between as gaps. Called by one reader; the counters can be read from any thread.
/// </summary>
public sealed class TagConditioner(TagSpec spec, TimeProvider time)
{
    private DateTimeOffset? _last;

    public TagSpec Spec => spec;

    public TagQualityCounters Counters { get; } = new();

    /// <summary>The sample renamed to the tag, scaled, with the quality the frame builder must respect.</summary>
    public TagSample Condition(in TagSample raw)
    {
        Counters.CountSample();
        CountGaps(raw.Timestamp);
        if (raw.Quality == SampleQuality.Bad)
        {
            Counters.CountDecodeError();
            return new TagSample(spec.Name, raw.Timestamp, double.NaN, SampleQuality.Bad);
        }

        var value = raw.Value * spec.Scale + spec.Offset;
        if (!double.IsFinite(value))
        {
            Counters.CountNaN();
            return new TagSample(spec.Name, raw.Timestamp, value, SampleQuality.Bad);
        }

        if (raw.Quality == SampleQuality.OutOfRange || value < spec.Min || value > spec.Max)
        {
            Counters.CountOutOfRange();
            return new TagSample(spec.Name, raw.Timestamp, value, SampleQuality.OutOfRange);
        }

        if (spec.StaleAfter is { } limit && time.GetUtcNow() - raw.Timestamp > limit)
        {
            Counters.CountStale();
            return new TagSample(spec.Name, raw.Timestamp, value, SampleQuality.Stale);
        }

        return new TagSample(spec.Name, raw.Timestamp, value);
    }

    private void CountGaps(DateTimeOffset timestamp)
    {
        if (_last is { } last && timestamp <= last)
        {
            return;
        }

        if (spec.ExpectedPeriod is { } period && _last is { } previous)
        {
            // 1.4 periods apart is jitter; 1.6 is one sample missing.
            var missed = (long)Math.Round((timestamp - previous) / period, MidpointRounding.AwayFromZero) - 1;
            if (missed > 0)
            {
                Counters.CountGaps(missed);
            }
        }

        _last = timestamp;
    }
}
