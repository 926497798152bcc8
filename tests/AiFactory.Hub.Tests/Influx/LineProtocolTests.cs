using AiFactory.Hub.Influx;

namespace AiFactory.Hub.Tests.Influx;

[Trait("Category", "Unit")]
public sealed class LineProtocolTests
{
    private static InfluxPoint P(string m, (string, string)[] tags, (string, object)[] fields, long t = 1700000000000) =>
        new(m, tags.Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).ToList(), fields.Select(x => new KeyValuePair<string, object>(x.Item1, x.Item2)).ToList(), t);

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
}
