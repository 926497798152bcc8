using AiFactory.Edge.Core.Frames;
using AiFactory.Edge.Core.Samples;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Frames;

[Trait("Category", "Unit")]
public sealed class TagConditionerTests
{
    private readonly FakeTimeProvider _clock = new();

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void Condition_GoodRawValue_AppliesScaleAndOffsetAndRenames()
    {
        var tag = new TagConditioner(new TagSpec("pump-1.flow") { Scale = 0.1, Offset = -5 }, _clock);

        var sample = tag.Condition(new TagSample("plc/40001", Now, 250));

        Assert.Equal(new TagSample("pump-1.flow", Now, 20.0), sample);
        Assert.Equal(1, tag.Counters.Samples);
        Assert.Equal(0, tag.Counters.OutOfRange + tag.Counters.NaN + tag.Counters.Stale + tag.Counters.Gaps + tag.Counters.DecodeErrors);
    }

    [Fact]
    public void Condition_ValueOutsideRange_IsMarkedAndCounted()
    {
        var tag = new TagConditioner(new TagSpec("t") { Min = 0, Max = 10 }, _clock);

        var high = tag.Condition(new TagSample("a", Now, 10.5));
        var low = tag.Condition(new TagSample("a", Now, -0.1));
        var edge = tag.Condition(new TagSample("a", Now, 10));

        Assert.Equal(SampleQuality.OutOfRange, high.Quality);
        Assert.Equal(SampleQuality.OutOfRange, low.Quality);
        Assert.Equal(SampleQuality.Good, edge.Quality);
        Assert.Equal(2, tag.Counters.OutOfRange);
    }

    [Fact]
    public void Condition_NaNAndInfinity_AreCountedAsNaN()
    {
        var tag = new TagConditioner(new TagSpec("t"), _clock);

        tag.Condition(new TagSample("a", Now, double.NaN));
        tag.Condition(new TagSample("a", Now, double.PositiveInfinity));

        Assert.Equal(2, tag.Counters.NaN);
        Assert.Equal(0, tag.Counters.OutOfRange);
    }

    [Fact]
    public void Condition_SourceMarkedBad_CountsDecodeError()
    {
        var tag = new TagConditioner(new TagSpec("t"), _clock);

        var sample = tag.Condition(new TagSample("a", Now, double.NaN, SampleQuality.Bad));

        Assert.Equal(SampleQuality.Bad, sample.Quality);
        Assert.Equal(1, tag.Counters.DecodeErrors);
        Assert.Equal(0, tag.Counters.NaN);
    }

    [Fact]
    public void Condition_SampleOlderThanStalenessLimit_IsStale()
    {
        var tag = new TagConditioner(new TagSpec("t") { StaleAfter = TimeSpan.FromSeconds(2) }, _clock);

        var fresh = tag.Condition(new TagSample("a", Now.AddSeconds(-2), 1));
        var stale = tag.Condition(new TagSample("a", Now.AddSeconds(-2.001), 1));

        Assert.Equal(SampleQuality.Good, fresh.Quality);
        Assert.Equal(SampleQuality.Stale, stale.Quality);
        Assert.Equal(1, tag.Counters.Stale);
    }

    [Fact]
    public void Condition_MissedPeriods_CountsEachMissingSampleAsGap()
    {
        var tag = new TagConditioner(new TagSpec("t") { ExpectedPeriod = TimeSpan.FromMilliseconds(100) }, _clock);
        var t0 = Now;

        tag.Condition(new TagSample("a", t0, 1));
        tag.Condition(new TagSample("a", t0.AddMilliseconds(140), 1)); // jitter, no gap
        tag.Condition(new TagSample("a", t0.AddMilliseconds(440), 1)); // 300 ms: two missed
        tag.Condition(new TagSample("a", t0.AddMilliseconds(400), 1)); // out of order: ignored for gaps

        Assert.Equal(2, tag.Counters.Gaps);
    }

    [Fact]
    public async Task Counters_ReadWhileWritingFromAnotherThread_AreExactAtTheEnd()
    {
        var tag = new TagConditioner(new TagSpec("t") { Max = 0 }, _clock);
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                tag.Condition(new TagSample("a", Now, 1));
            }
        });
        while (!writer.IsCompleted)
        {
            Assert.True(tag.Counters.OutOfRange <= tag.Counters.Samples);
        }

        await writer;
        Assert.Equal(100_000, tag.Counters.OutOfRange);
    }
}
