using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Decoding.SparkplugB;

namespace AiFactory.Edge.Sources.Tests.Decoding.SparkplugB;

[Trait("Category", "Unit")]
public sealed class SparkplugBDecoderTests
{
    private const ulong Birth = 1767225600000;
    private static readonly DateTimeOffset Arrival = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BirthTime = DateTimeOffset.FromUnixTimeMilliseconds((long)Birth);

    private readonly SparkplugBDecoder _decoder = new(new Dictionary<string, string>
    {
        ["pump-1/flow"] = "line1/edge-7/pump-1:Flow",
        ["pump-1/running"] = "line1/edge-7/pump-1:Running",
        ["pump-1/count"] = "line1/edge-7/pump-1:Strokes",
        ["edge-7/cpu"] = "line1/edge-7:CPU/Load",
        ["edge-7/offset"] = "line1/edge-7:Offset",
    });

    private readonly List<TagSample> _output = [];

    [Fact]
    public void DeviceBirthThenAliasOnlyData_MapsAliasesToTags()
    {
        Assert.Null(Decode("spBv1.0/line1/DBIRTH/edge-7/pump-1", new SparkplugPayload().At(Birth)
            .Metric("Flow", 31.5, SparkplugDataType.Double, alias: 1)
            .Metric("Running", true, SparkplugDataType.Boolean, alias: 2)
            .Metric("Strokes", 9_000_000_000UL, SparkplugDataType.UInt64, alias: 3)
            .Metric("Label", "P-101", SparkplugDataType.String, alias: 4)));
        _output.Clear();

        var problem = Decode("spBv1.0/line1/DDATA/edge-7/pump-1", new SparkplugPayload().At(Birth + 1000)
            .Metric(null, 32.25, alias: 1)
            .Metric(null, false, alias: 2, ms: Birth + 500)
            .Metric(null, 9_000_000_001UL, alias: 3));

        Assert.Null(problem);
        var time = BirthTime.AddSeconds(1);
        Assert.Equal(
            [new TagSample("pump-1/flow", time, 32.25), new TagSample("pump-1/running", BirthTime.AddMilliseconds(500), 0), new TagSample("pump-1/count", time, 9_000_000_001)],
            _output);
        Assert.Equal(1, _decoder.IgnoredMetrics);
    }

    [Fact]
    public void NodeBirth_EmitsItsValuesAndNamesNodeMetrics()
    {
        var problem = Decode("spBv1.0/line1/NBIRTH/edge-7", new SparkplugPayload().At(Birth)
            .Metric("bdSeq", 0UL, SparkplugDataType.Int64)
            .Metric("CPU/Load", 0.5f, SparkplugDataType.Float, alias: 10)
            .Metric("Offset", 0xFFFFFFFEu, SparkplugDataType.Int32, alias: 11));

        Assert.Null(problem);
        Assert.Equal([new TagSample("edge-7/cpu", BirthTime, 0.5), new TagSample("edge-7/offset", BirthTime, -2)], _output);
        Assert.Equal(1, _decoder.UnmappedMetrics);
    }

    [Theory]
    [InlineData(SparkplugDataType.Int8, 0xFFu, -1)]
    [InlineData(SparkplugDataType.Int8, 0xFFFFFFFFu, -1)]
    [InlineData(SparkplugDataType.Int16, 0xFFFF8000u, -32768)]
    [InlineData(SparkplugDataType.UInt16, 0xFFFFu, 65535)]
    [InlineData(SparkplugDataType.UInt32, 0xFFFFFFFFu, 4294967295)]
    [InlineData(SparkplugDataType.Int32, 0x80000000u, -2147483648)]
    public void IntValue_IsReadByTheDatatypesWidthAndSign(SparkplugDataType type, uint wire, double expected)
    {
        Decode("spBv1.0/line1/NDATA/edge-7", new SparkplugPayload().Metric("Offset", wire, type));

        Assert.Equal(expected, _output.Single().Value);
    }

    [Fact]
    public void Data_WithoutDatatype_UsesTheBirthsDatatype()
    {
        Decode("spBv1.0/line1/NBIRTH/edge-7", new SparkplugPayload().Metric("Offset", 1u, SparkplugDataType.Int8));
        _output.Clear();

        Decode("spBv1.0/line1/NDATA/edge-7", new SparkplugPayload().Metric("Offset", 0xF0u));

        Assert.Equal(-16, _output.Single().Value);
    }

    [Fact]
    public void NullMetric_IsABadSample()
    {
        Decode("spBv1.0/line1/NDATA/edge-7", new SparkplugPayload().At(Birth).Metric("CPU/Load", null, SparkplugDataType.Float, isNull: true));

        var sample = _output.Single();
        Assert.Equal(SampleQuality.Bad, sample.Quality);
        Assert.True(double.IsNaN(sample.Value));
    }

    [Fact]
    public void NodeDeath_MarksEveryTagOfTheNodeAndItsDevicesBad()
    {
        Decode("spBv1.0/line1/NDEATH/edge-7", new SparkplugPayload().At(Birth).Metric("bdSeq", 0UL, SparkplugDataType.Int64));

        Assert.Equal(["edge-7/cpu", "edge-7/offset", "pump-1/count", "pump-1/flow", "pump-1/running"], _output.Select(s => s.Tag).Order(StringComparer.Ordinal));
        Assert.All(_output, s => Assert.Equal(SampleQuality.Bad, s.Quality));
        Assert.All(_output, s => Assert.Equal(BirthTime, s.Timestamp));
    }

    [Fact]
    public void DeviceDeath_MarksOnlyThatDevicesTagsBad()
    {
        Decode("spBv1.0/line1/DDEATH/edge-7/pump-1", new SparkplugPayload());

        Assert.Equal(["pump-1/count", "pump-1/flow", "pump-1/running"], _output.Select(s => s.Tag).Order(StringComparer.Ordinal));
        Assert.All(_output, s => Assert.Equal(Arrival, s.Timestamp));
    }

    [Fact]
    public void NodeDeath_ForgetsAliasesUntilTheNextBirth()
    {
        Decode("spBv1.0/line1/NBIRTH/edge-7", new SparkplugPayload().Metric("CPU/Load", 1.0, SparkplugDataType.Double, alias: 10));
        Decode("spBv1.0/line1/NDEATH/edge-7", new SparkplugPayload());
        _output.Clear();

        var problem = Decode("spBv1.0/line1/NDATA/edge-7", new SparkplugPayload().Metric(null, 2.0, alias: 10));

        Assert.Equal("metric alias 10 of edge node 'line1/edge-7' is unknown (no birth has named it)", problem);
        Assert.Empty(_output);
    }

    [Fact]
    public void CommandsAndHostState_AreNotErrorsAndYieldNothing()
    {
        Assert.Null(Decode("spBv1.0/line1/NCMD/edge-7", new SparkplugPayload().Metric("Node Control/Rebirth", true, SparkplugDataType.Boolean)));
        Assert.Null(_decoder.Decode("spBv1.0/STATE/scada-1", "{\"online\":true}"u8, Arrival, _output));
        Assert.Empty(_output);
    }

    [Fact]
    public void MalformedProtobuf_IsAProblemNamingThePayload()
    {
        var good = new SparkplugPayload().Metric("CPU/Load", 1.0, SparkplugDataType.Double).ToArray();

        var problem = _decoder.Decode("spBv1.0/line1/NDATA/edge-7", good.AsSpan(0, good.Length - 3), Arrival, _output);

        Assert.StartsWith($"malformed Sparkplug B payload ({good.Length - 3} bytes): ", problem, StringComparison.Ordinal);
        Assert.Empty(_output);
    }

    [Fact]
    public void WrongWireType_IsAProblemNamingTheField()
    {
        // field 2 (metrics) sent as a varint
        var problem = _decoder.Decode("spBv1.0/line1/NDATA/edge-7", [0x10, 0x01], Arrival, _output);

        Assert.Equal("malformed Sparkplug B payload (2 bytes): Payload.metrics has wire type Varint, expected LengthDelimited", problem);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(3);
        var bytes = new byte[64];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(bytes);
            _decoder.Decode("spBv1.0/line1/NDATA/edge-7", bytes.AsSpan(0, random.Next(bytes.Length)), Arrival, _output);
        }

        Assert.All(_output, s => Assert.Contains(s.Tag, new[] { "edge-7/cpu", "edge-7/offset" }));
    }

    [Theory]
    [InlineData("plant/line1/pump", "topic 'plant/line1/pump' is not a Sparkplug B topic (spBv1.0/<group>/<type>/<node>[/<device>])")]
    [InlineData("spBv1.0/line1/DDATA/edge-7", "'DDATA' without a device id is not a Sparkplug B message type")]
    [InlineData("spBv1.0/line1/NBIRTHX/edge-7/pump-1", "'NBIRTHX' with a device id is not a Sparkplug B message type")]
    public void BadTopic_IsAProblemNamingTheTopic(string topic, string expected)
    {
        Assert.Equal(expected, Decode(topic, new SparkplugPayload().Metric("CPU/Load", 1.0)));
    }

    [Fact]
    public void BirthMetricWithoutName_IsAProblem()
    {
        Assert.Equal("a NBIRTH metric has no name (births must name every metric)", Decode("spBv1.0/line1/NBIRTH/edge-7", new SparkplugPayload().Metric("CPU/Load", 1.0).Metric(null, 2.0, alias: 3)));
        Assert.Empty(_output);
    }

    [Fact]
    public void TimestampPastYear9999_IsAProblem()
    {
        Assert.Equal("timestamp 18446744073709551615 ms is past year 9999", Decode("spBv1.0/line1/NDATA/edge-7", new SparkplugPayload().At(ulong.MaxValue)));
    }

    [Fact]
    public void TopicLessDecode_SaysItNeedsTheTopic()
    {
        Assert.Equal("a Sparkplug B payload needs its topic (spBv1.0/<group>/<type>/<node>[/<device>])", ((IPayloadDecoder)_decoder).Decode([], Arrival, _output));
    }

    [Theory]
    [InlineData("line1/edge-7", "Sparkplug B metric 'line1/edge-7' (tag 't') must look like group/node[/device]:metric name")]
    [InlineData("line1/edge-7:", "Sparkplug B metric 'line1/edge-7:' (tag 't') must look like group/node[/device]:metric name")]
    public void BadMetricAddress_NamesTagAndAddress(string address, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => new SparkplugBDecoder(new Dictionary<string, string> { ["t"] = address }));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void TwoTagsForOneMetric_AreRefused()
    {
        var ex = Assert.Throws<FormatException>(() => new SparkplugBDecoder(new Dictionary<string, string> { ["a"] = "g/n:m", ["b"] = "g/n:m" }));

        Assert.Equal("Sparkplug B metric 'g/n:m' is mapped to both tag 'a' and tag 'b'", ex.Message);
    }

    private string? Decode(string topic, SparkplugPayload payload) => _decoder.Decode(topic, payload.ToArray(), Arrival, _output);
}
