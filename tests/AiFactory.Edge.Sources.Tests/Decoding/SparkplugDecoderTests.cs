using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding.Sparkplug;
using static AiFactory.Edge.Sources.Tests.Decoding.SparkplugPayloads;

namespace AiFactory.Edge.Sources.Tests.Decoding;

[Trait("Category", "Unit")]
public sealed class SparkplugDecoderTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private const ulong T = 1_767_225_600_000;

    private readonly SparkplugDecoder _decoder = new(new Dictionary<string, string>
    {
        ["gw1/pump1/Flow"] = "pump-1/flow",
        ["gw1/pump1/Level"] = "pump-1/level",
        ["gw1/pump1/Running"] = "pump-1/running",
        ["gw1/pump1/Mode"] = "pump-1/mode",
        ["gw1/Temperature"] = "gw1/temp",
    });

    private readonly List<TagSample> _out = [];

    [Fact]
    public void Birth_TeachesAliases_DataByAliasDecodes_WithMetricOrPayloadTime()
    {
        var birth = Payload(T, Metric("Flow", 1, 31.5, 10), Metric("Level", 2, (int)-5, 2), Metric("Running", 3, true, 11), Metric("Mode", 4, "auto", 12));
        Assert.Null(_decoder.Decode("spBv1.0/plant1/DBIRTH/gw1/pump1", birth, Arrival, _out));

        var data = Payload(T + 1000, Metric(null, 1, 32.25, 10, timestamp: T + 900), Metric(null, 2, (int)-7, 2));
        Assert.Null(_decoder.Decode("spBv1.0/plant1/DDATA/gw1/pump1", data, Arrival, _out));

        Assert.Equal(
            [
                new TagSample("pump-1/flow", DateTimeOffset.FromUnixTimeMilliseconds((long)T), 31.5),
                new TagSample("pump-1/level", DateTimeOffset.FromUnixTimeMilliseconds((long)T), -5),
                new TagSample("pump-1/running", DateTimeOffset.FromUnixTimeMilliseconds((long)T), 1),
                new TagSample("pump-1/flow", DateTimeOffset.FromUnixTimeMilliseconds((long)T + 900), 32.25),
                new TagSample("pump-1/level", DateTimeOffset.FromUnixTimeMilliseconds((long)T + 1000), -7),
            ],
            _out);
        Assert.Equal(1, _decoder.Ignored);
    }

    [Fact]
    public void DataWithoutDatatype_SignedIntegersReadByTheBirthsDatatype()
    {
        var birth = Payload(T, Metric("Level", 2, (int)-5, 2), Metric("Flow", null, (long)-1, 4));
        Assert.Null(_decoder.Decode("spBv1.0/plant1/DBIRTH/gw1/pump1", birth, Arrival, _out));
        _out.Clear();

        var data = Payload(T, Metric(null, 2, (int)-7, 0), Metric("Flow", null, (long)-3, 0));
        Assert.Null(_decoder.Decode("spBv1.0/plant1/DDATA/gw1/pump1", data, Arrival, _out));

        Assert.Equal([-7.0, -3.0], _out.Select(s => s.Value));
    }

    [Fact]
    public void NodeMetric_FloatAndNull_AreDecoded_NullIsBad()
    {
        Assert.Null(_decoder.Decode("spBv1.0/plant1/NDATA/gw1", Payload(null, Metric("Temperature", null, 41.5f, 9), Metric("Temperature", null, null, 9)), Arrival, _out));

        Assert.Equal([new TagSample("gw1/temp", Arrival, 41.5), new TagSample("gw1/temp", Arrival, double.NaN, SampleQuality.Bad)], _out);
    }

    [Fact]
    public void DeviceDeath_TurnsTheDevicesTagsBad()
    {
        Assert.Null(_decoder.Decode("spBv1.0/plant1/DDEATH/gw1/pump1", Payload(T), Arrival, _out));

        Assert.Equal(["pump-1/flow", "pump-1/level", "pump-1/mode", "pump-1/running"], _out.Select(s => s.Tag).Order());
        Assert.All(_out, s => Assert.Equal(SampleQuality.Bad, s.Quality));
    }

    [Fact]
    public void UnknownAlias_IsNamed_AndTheOtherMetricsStillDecode()
    {
        var problem = _decoder.Decode("spBv1.0/plant1/DDATA/gw1/pump1", Payload(T, Metric(null, 9, 1.0, 10), Metric("Flow", null, 30.0, 10)), Arrival, _out);

        Assert.Equal("metric alias 9 of node 'gw1' is unknown (no NBIRTH/DBIRTH seen since this agent started)", problem);
        Assert.Equal(30.0, Assert.Single(_out).Value);
    }

    [Theory]
    [InlineData("spBv1.0/plant1/DDATA/gw1/pump1", new byte[] { 0x12, 0xFF, 0x01 }, "not a Sparkplug B payload")]
    [InlineData("spBv1.0/plant1/DDATA/gw1/pump1", new byte[] { 0x12, 0x02, 0x60, 0x01 }, "not a Sparkplug B payload: Metric.float_value has wire type Varint, expected Fixed32")]
    [InlineData("plant1/DDATA/gw1/pump1", new byte[] { 0x08, 0x01 }, "topic 'plant1/DDATA/gw1/pump1' is not a Sparkplug B topic")]
    public void BadPayloadOrTopic_IsNamed_AndAddsNothing(string topic, byte[] payload, string expected)
    {
        var problem = _decoder.Decode(topic, payload, Arrival, _out);

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.Empty(_out);
    }
}
