using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;

namespace AiFactory.Edge.Sources.Tests.Decoding;

[Trait("Category", "Unit")]
public sealed class DecoderTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Json_PathsAndIsoTimestamp_DecodeEveryTag()
    {
        var decoder = new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "a.b[1].c", ["q"] = "$.top" }, "meta.time");
        var output = new List<TagSample>();

        var problem = decoder.Decode("""{"top": -2.5, "a": {"b": [{}, {"c": 7}]}, "meta": {"time": "2026-11-22T09:00:00Z"}}"""u8, Arrival, output);

        Assert.Null(problem);
        var time = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal([new TagSample("p", time, 7), new TagSample("q", time, -2.5)], output);
    }

    [Fact]
    public void Json_WithoutTimestampPath_UsesArrivalTime()
    {
        var output = new List<TagSample>();

        new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "v" }).Decode("""{"v": 1}"""u8, Arrival, output);

        Assert.Equal(Arrival, output.Single().Timestamp);
    }

    [Fact]
    public void Json_Malformed_NamesTheProblemAndAddsNothing()
    {
        var output = new List<TagSample>();

        var problem = new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "v" }).Decode("{\"v\": "u8, Arrival, output);

        Assert.StartsWith("malformed JSON", problem, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("{\"w\": 1}", "field 'v' (tag 'p') is missing")]
    [InlineData("{\"v\": \"9\"}", "field 'v' (tag 'p') is String, not a number")]
    public void Json_BadField_NamesIt_GivesItsTagABadSample_AndKeepsTheOthers(string payload, string expected)
    {
        var output = new List<TagSample>();

        var problem = new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "v", ["q"] = "w" }).Decode(System.Text.Encoding.UTF8.GetBytes(payload.Replace("}", ", \"w\": 1}", StringComparison.Ordinal)), Arrival, output);

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.Equal(2, output.Count);
        Assert.Equal(("p", SampleQuality.Bad), (output[0].Tag, output[0].Quality));
        Assert.Equal(new TagSample("q", Arrival, 1), output[1]);
    }

    [Fact]
    public void Json_BadTimestamp_IsReported()
    {
        var problem = new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "v" }, "ts").Decode("""{"v": 1, "ts": true}"""u8, Arrival, []);

        Assert.Equal("timestamp field 'ts' is missing or is neither ISO-8601 text nor epoch milliseconds of the years 0001–9999", problem);
    }

    /// <summary>Found by fuzzing (afl++, json target): a timestamp string that is not valid UTF-8 threw out of the decoder.</summary>
    [Fact]
    public void Json_TimestampTextNotUtf8_IsReportedNotThrown()
    {
        var output = new List<TagSample>();
        byte[] payload = [.. "{\"ts\": \"2"u8, 0x80, 0xff, .. "01-01T00:00\", \"v\": 3}"u8];

        var problem = new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "v" }, "ts").Decode(payload, Arrival, output);

        Assert.Equal("timestamp field 'ts' is missing or is neither ISO-8601 text nor epoch milliseconds of the years 0001–9999", problem);
        Assert.Empty(output);
    }

    /// <summary>Found by the decoder properties: an epoch beyond 9999 threw out of the decoder.</summary>
    [Theory]
    [InlineData("""{"v": 1, "ts": 9223372036854775807}""")]
    [InlineData("""{"v": 1, "ts": 253402300800000}""")]
    [InlineData("""{"v": 1, "ts": -62135596800001}""")]
    public void Json_EpochOutsideTheCalendar_IsReportedNotThrown(string payload)
    {
        var output = new List<TagSample>();

        var problem = new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "v" }, "ts").Decode(System.Text.Encoding.UTF8.GetBytes(payload), Arrival, output);

        Assert.Equal("timestamp field 'ts' is missing or is neither ISO-8601 text nor epoch milliseconds of the years 0001–9999", problem);
        Assert.Empty(output);
    }

    [Fact]
    public void JsonPath_BadIndex_NamesThePath()
    {
        var ex = Assert.Throws<FormatException>(() => new JsonPayloadDecoder(new Dictionary<string, string> { ["p"] = "a[x]" }));

        Assert.Equal("JSON path 'a[x]': '[x]' is not an array index like [0]", ex.Message);
    }

    [Fact]
    public void Number_TextPayload_DecodesOrNamesTheText()
    {
        var output = new List<TagSample>();
        var decoder = new NumberPayloadDecoder("t");

        Assert.Null(decoder.Decode(" 4.5e1\n"u8, Arrival, output));
        Assert.Equal("'on' is not a number", decoder.Decode("on"u8, Arrival, output));
        Assert.Equal([new TagSample("t", Arrival, 45.0), new TagSample("t", Arrival, double.NaN, SampleQuality.Bad)], output);
    }

    [Theory]
    [InlineData("plant/+/pump", "plant/line1/pump", true)]
    [InlineData("plant/+/pump", "plant/line1/pump/x", false)]
    [InlineData("plant/#", "plant", true)]
    [InlineData("plant/#", "plant/a/b/c", true)]
    [InlineData("plant/line1", "plant/line2", false)]
    [InlineData("+/+", "a/b", true)]
    public void Topic_Wildcards_MatchAsMqttDefines(string filter, string topic, bool expected)
        => Assert.Equal(expected, MqttTopic.Matches(filter, topic));
}
