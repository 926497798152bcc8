using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;

namespace AiFactory.Edge.Sources.Tests.Decoding;

[Trait("Category", "Unit")]
public sealed class DelimitedDecoderTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Delimited_ColumnsAndEpochTime_DecodeEveryTag()
    {
        var decoder = new DelimitedPayloadDecoder(';', new Dictionary<string, int> { ["flow"] = 1, ["vib"] = 3 }, timestampColumn: 0);
        var output = new List<TagSample>();

        Assert.Null(decoder.Decode("1767225600000;31.8;x;0.040\n"u8, Arrival, output));

        var time = DateTimeOffset.FromUnixTimeMilliseconds(1767225600000);
        Assert.Equal([new TagSample("flow", time, 31.8), new TagSample("vib", time, 0.040)], output);
    }

    [Theory]
    [InlineData("31.8", "1 column(s), tag 'vib' reads column 1")]
    [InlineData("31.8,abc", "column 1 (tag 'vib') = 'abc' is not a number")]
    public void Delimited_BadPayload_NamesColumnAndTag(string payload, string expected)
    {
        var decoder = new DelimitedPayloadDecoder(',', new Dictionary<string, int> { ["flow"] = 0, ["vib"] = 1 });
        var output = new List<TagSample>();

        Assert.Equal(expected, decoder.Decode(System.Text.Encoding.UTF8.GetBytes(payload), Arrival, output));
        Assert.Equal([new TagSample("flow", Arrival, 31.8), new TagSample("vib", Arrival, double.NaN, SampleQuality.Bad)], output);
    }

    [Fact]
    public void Delimited_BadTimestamp_IsReported()
    {
        var decoder = new DelimitedPayloadDecoder(',', new Dictionary<string, int> { ["flow"] = 1 }, timestampColumn: 0);

        Assert.Equal("timestamp column 0 = 'yesterday' is neither ISO-8601 nor epoch milliseconds", decoder.Decode("yesterday,1"u8, Arrival, []));
    }

    /// <summary>Found by the decoder properties: an epoch beyond 9999 threw out of the decoder.</summary>
    [Theory]
    [InlineData("922337203685477,1", "922337203685477")]
    [InlineData("-62135596800001,1", "-62135596800001")]
    public void Delimited_EpochOutsideTheCalendar_IsReportedNotThrown(string payload, string column)
    {
        var decoder = new DelimitedPayloadDecoder(',', new Dictionary<string, int> { ["flow"] = 1 }, timestampColumn: 0);
        var output = new List<TagSample>();

        Assert.Equal($"timestamp column 0 = '{column}' is epoch milliseconds outside the years 0001–9999", decoder.Decode(System.Text.Encoding.UTF8.GetBytes(payload), Arrival, output));
        Assert.Empty(output);
    }
}
