using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Tags;

namespace AiFactory.Edge.Core.Tests.Tags;

[Trait("Category", "Unit")]
public sealed class TagDataTypeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(TagDataType.Int, 2.5)]
    [InlineData(TagDataType.Bool, 2.0)]
    [InlineData(TagDataType.Bool, 0.5)]
    public void RawValueNotOfType_IsADecodeErrorMarkedBad(TagDataType type, double raw)
    {
        var table = new TagTable([new TagDefinition("t", Type: type)]);
        var s = new TagSample("t", T0, raw);

        Assert.False(table.Apply(ref s));
        Assert.Equal(SampleQuality.Bad, s.Quality);
        Assert.Equal(new TagQualitySnapshot("t", 0, 0, 0, 0, 1), table.Quality("t").Snapshot());
    }

    [Theory]
    [InlineData(TagDataType.Int, -7.0, -0.7)]
    [InlineData(TagDataType.Bool, 1.0, 0.1)]
    [InlineData(TagDataType.Float, 2.5, 0.25)]
    public void RawValueOfType_IsScaledAndUsed(TagDataType type, double raw, double expected)
    {
        var table = new TagTable([new TagDefinition("t", Scale: 0.1, Type: type)]);
        var s = new TagSample("t", T0, raw);

        Assert.True(table.Apply(ref s));
        Assert.Equal(expected, s.Value, 12);
        Assert.Equal(new TagQualitySnapshot("t", 0, 0, 0, 0, 0), table.Quality("t").Snapshot());
    }
}
