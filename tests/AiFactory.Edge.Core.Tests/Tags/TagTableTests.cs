using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Tags;

namespace AiFactory.Edge.Core.Tests.Tags;

[Trait("Category", "Unit")]
public sealed class TagTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static TagTable Table() => new([new TagDefinition("temp", "°C", Scale: 0.1, Offset: -40, Min: -20, Max: 120, Period: TimeSpan.FromSeconds(1))]);

    [Fact]
    public void Value_IsConvertedToEngineeringUnits()
    {
        var table = Table();
        var s = new TagSample("temp", T0, 650);

        Assert.True(table.Apply(ref s));
        Assert.Equal(25.0, s.Value, 10);
    }

    [Theory]
    [InlineData(1700.0, SampleQuality.Good, 0, 1, 0, 0)]
    [InlineData(double.NaN, SampleQuality.Good, 0, 0, 1, 0)]
    [InlineData(double.PositiveInfinity, SampleQuality.Good, 0, 0, 1, 0)]
    [InlineData(0.0, SampleQuality.Bad, 0, 0, 0, 1)]
    [InlineData(650.0, SampleQuality.OutOfRange, 0, 1, 0, 0)]
    public void UnusableValue_IsRefusedAndCountedOnItsTag(double raw, SampleQuality quality, long stale, long outOfRange, long nan, long decode)
    {
        var table = Table();
        var s = new TagSample("temp", T0, raw, quality);

        Assert.False(table.Apply(ref s));
        Assert.Equal(new TagQualitySnapshot("temp", stale, outOfRange, nan, 0, decode), table.Quality("temp").Snapshot());
    }

    [Fact]
    public void MissedPeriods_AreCountedAsGaps()
    {
        var table = Table();
        foreach (var seconds in new[] { 0, 1, 2, 6, 7, 7.2 })
        {
            var s = new TagSample("temp", T0.AddSeconds(seconds), 650);
            table.Apply(ref s);
        }

        Assert.Equal(3, table.Quality("temp").Snapshot().Gaps);
    }

    [Fact]
    public void UndeclaredTag_PassesUnchanged_AndIsStillCounted()
    {
        var table = Table();
        var good = new TagSample("flow", T0, 3.5);
        var bad = new TagSample("flow", T0, double.NaN);

        Assert.True(table.Apply(ref good));
        Assert.False(table.Apply(ref bad));
        Assert.Equal(3.5, good.Value);
        Assert.Equal(1, table.Quality("flow").Snapshot().NaN);
    }
}
