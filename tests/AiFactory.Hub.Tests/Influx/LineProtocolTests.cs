using AiFactory.Hub.Influx;

namespace AiFactory.Hub.Tests.Influx;

[Trait("Category", "Unit")]
public sealed class LineProtocolTests
{
    private static InfluxPoint P(string m, (string, string)[] tags, (string, object)[] fields, long t = 1700000000000) =>
        new(m, tags.Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).ToList(), fields.Select(x => new KeyValuePair<string, object>(x.Item1, x.Item2)).ToList(), DateTimeOffset.FromUnixTimeMilliseconds(t));

    [Fact]
    public void Point_IsWrittenWithSortedTagsAndTypedFields() =>
        Assert.Equal(
            "station_window,line=l1,station=s1 frames=10i,mean=0.25,ok=true,note=\"fine\" 1700000000000\n",
            LineProtocol.Format([P("station_window", [("station", "s1"), ("line", "l1")], [("frames", 10L), ("mean", 0.25), ("ok", true), ("note", "fine")])]));

    [Fact]
    public void SpecialCharacters_AreEscapedPerPosition() =>
        Assert.Equal(
            "my\\ meas\\,x,tag\\ key\\=a=va\\,l\\=u\\ e field\\ k\\=y=\"say \\\"hi\\\" \\\\ bye\" 5\n",
            LineProtocol.Format([P("my meas,x", [("tag key=a", "va,l=u e")], [("field k=y", "say \"hi\" \\ bye")], 5)]));

    [Fact]
    public void LineBreaks_BecomeEscapedSpaces() =>
        Assert.Equal("m,t=a\\ b v=1i 1\n", LineProtocol.Format([P("m", [("t", "a\nb")], [("v", 1L)], 1)]));

    [Fact]
    public void EmptyTagsAndNonFiniteFields_AreLeftOut_AndAPointWithoutFieldsIsSkipped() =>
        Assert.Equal(
            "m v=2i 1\n",
            LineProtocol.Format([P("m", [("empty", "")], [("nan", double.NaN), ("v", 2L)], 1), P("m", [], [("inf", double.PositiveInfinity)], 2)]));

    [Fact]
    public void UnsupportedFieldType_IsRefusedNamingTheType() =>
        Assert.Contains("DateTime", Assert.Throws<ArgumentException>(() => LineProtocol.Format([P("m", [], [("t", DateTime.UnixEpoch)])])).Message, StringComparison.Ordinal);

    [Fact]
    public void BackslashBeforeADelimiterOrAtTheEnd_BecomesASlash_OthersStay() =>
        Assert.Equal(
            "a\\b/\\,c/,t/\\ x=v\\w/ f\\g/=1i 1\n",
            LineProtocol.Format([P("a\\b\\,c\\", [("t\\ x", "v\\w\\")], [("f\\g\\", 1L)], 1)]));

    [Fact]
    public void EmptyKeysAndMeasurement_AreLeftOut() =>
        Assert.Equal(
            "m v=1i 1\n",
            LineProtocol.Format([P("m", [("", "x")], [("", 5L), ("v", 1L), ("f", float.NaN)], 1), P("", [], [("v", 1L)], 2)]));

    [Fact]
    public void Append_ReportsWhetherThePointWasWritten()
    {
        var sb = new System.Text.StringBuilder();

        Assert.True(LineProtocol.Append(sb, P("m", [], [("v", 1L)], 1)));
        Assert.False(LineProtocol.Append(sb, P("m", [], [("v", double.NaN)], 2)));
        Assert.Equal("m v=1i 1\n", sb.ToString());
    }

    [Theory]
    [InlineData(InfluxPrecision.Nanoseconds, 1700000000123456700L)]
    [InlineData(InfluxPrecision.Microseconds, 1700000000123456L)]
    [InlineData(InfluxPrecision.Milliseconds, 1700000000123L)]
    [InlineData(InfluxPrecision.Seconds, 1700000000L)]
    public void Timestamp_IsWrittenInThePrecision(InfluxPrecision precision, long expected)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567);

        Assert.Equal(expected, LineProtocol.Timestamp(time, precision));
        Assert.Equal($"m v=1i {expected}\n", LineProtocol.Format([new InfluxPoint("m", [], [new("v", 1L)], time)], precision));
    }

    [Fact]
    public void TimestampBeforeTheEpoch_IsRoundedDown() =>
        Assert.Equal(-1, LineProtocol.Timestamp(DateTimeOffset.UnixEpoch.AddTicks(-1), InfluxPrecision.Milliseconds));

    [Theory]
    [InlineData(InfluxPrecision.Nanoseconds, 1, "n")]
    [InlineData(InfluxPrecision.Nanoseconds, 2, "ns")]
    [InlineData(InfluxPrecision.Microseconds, 1, "u")]
    [InlineData(InfluxPrecision.Microseconds, 2, "us")]
    [InlineData(InfluxPrecision.Milliseconds, 2, "ms")]
    [InlineData(InfluxPrecision.Seconds, 1, "s")]
    public void QueryValue_IsSpelledPerApiVersion(InfluxPrecision precision, int version, string expected) =>
        Assert.Equal(expected, LineProtocol.QueryValue(precision, version));
}
