using AiFactory.Hub.Influx;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace AiFactory.Hub.Tests.Influx;

/// <summary>Points as the hub builds them (names through <see cref="InfluxText.Clean"/>), in InfluxDB.Client's line protocol.</summary>
[Trait("Category", "Unit")]
public sealed class InfluxPointTests
{
    [Fact]
    public void Point_IsWrittenWithSortedTagsAndSortedTypedFields() =>
        Assert.Equal(
            "station_window,line=l1,station=s1 frames=10i,mean=0.25,note=\"fine\",ok=true 1700000000000",
            P("station_window", [("station", "s1"), ("line", "l1")], b => b.Field("frames", 10L).Field("mean", 0.25).Field("ok", true).Field("note", "fine")).ToLineProtocol());

    [Fact]
    public void SpecialCharacters_AreEscapedPerPosition() =>
        Assert.Equal(
            "my\\ meas\\,x,tag\\ key\\=a=va\\,l\\=u\\ e field\\ k\\=y=\"say \\\"hi\\\" \\\\ bye\" 5",
            P("my meas,x", [("tag key=a", "va,l=u e")], b => b.Field("field k=y", "say \"hi\" \\ bye"), 5).ToLineProtocol());

    [Fact]
    public void LineBreaks_BecomeEscapedSpaces() =>
        Assert.Equal("m\\ x,t=a\\ b v=1i 1", P("m\rx", [("t", "a\nb")], b => b.Field("v", 1L), 1).ToLineProtocol());

    [Fact]
    public void EmptyTagsAndNonFiniteFields_AreLeftOut_AndAPointWithoutFieldsWritesNothing()
    {
        Assert.Equal("m v=2i 1", P("m", [("empty", "")], b => b.Field("nan", double.NaN).Field("v", 2L), 1).ToLineProtocol());
        Assert.Equal(string.Empty, P("m", [], b => b.Field("inf", double.PositiveInfinity), 2).ToLineProtocol());
    }

    [Fact]
    public void BackslashBeforeADelimiterOrAtTheEnd_BecomesASlash_OthersStay() =>
        Assert.Equal(
            "a\\b/\\,c/,t/\\ x=v\\w/ f\\g/=1i 1",
            P("a\\b\\,c\\", [("t\\ x", "v\\w\\")], b => b.Field(InfluxText.Clean("f\\g\\"), 1L), 1).ToLineProtocol());

    /// <summary>Why names are cleaned: the library writes such a backslash as it is, and the line no longer parses.</summary>
    [Fact]
    public void Library_TagValueEndingInABackslash_EscapesTheSpaceAfterIt() =>
        Assert.Equal(
            "m,t=v\\ f=1i 1",
            PointData.Measurement("m").Tag("t", "v\\").Field("f", 1L).Timestamp(1L, WritePrecision.Ms).ToLineProtocol());

    [Fact]
    public void Clean_LeavesOrdinaryNamesAsTheyAre()
    {
        const string Name = "line-1/station 7,a=b";

        Assert.Same(Name, InfluxText.Clean(Name));
    }

    [Theory]
    [InlineData(InfluxPrecision.Nanoseconds, 1700000000123456700L)]
    [InlineData(InfluxPrecision.Microseconds, 1700000000123457L)]
    [InlineData(InfluxPrecision.Milliseconds, 1700000000123L)]
    [InlineData(InfluxPrecision.Seconds, 1700000000L)]
    public void Timestamp_IsWrittenInThePrecision_MicrosecondsRounded(InfluxPrecision precision, long expected)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567);
        var options = new InfluxOptions { Precision = precision };

        Assert.Equal($"m v=1i {expected}", PointData.Measurement("m").Field("v", 1L).Timestamp(time, options.WritePrecision).ToLineProtocol());
    }

    private static PointData P(string measurement, (string Key, string Value)[] tags, Func<PointData.Builder, PointData.Builder> fields, long time = 1700000000000)
    {
        var builder = PointData.Builder.Measurement(InfluxText.Clean(measurement));
        foreach (var (key, value) in tags)
        {
            builder.Tag(InfluxText.Clean(key), InfluxText.Clean(value));
        }

        return fields(builder).Timestamp(time, WritePrecision.Ms).ToPointData();
    }
}
