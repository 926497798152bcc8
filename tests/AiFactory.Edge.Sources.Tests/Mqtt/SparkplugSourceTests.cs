using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding.SparkplugB;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Edge.Sources.Tests.Decoding.SparkplugB;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>Sparkplug B through a real mosquitto broker on 127.0.0.1: births, alias-only data, garbage, death.</summary>
[Trait("Category", "Integration")]
public sealed class SparkplugSourceTests : SourceHarness
{
    private const ulong T0 = 1767225600000;
    private readonly MosquittoBroker _broker = new();

    public override void Dispose()
    {
        base.Dispose();
        _broker.Dispose();
    }

    [MosquittoFact]
    public async Task BirthDataGarbageDeath_DecodedInOrderAndGarbageCounted()
    {
        _broker.Start();
        var decoder = new SparkplugBDecoder(new Dictionary<string, string> { ["pump-1/flow"] = "line1/edge-7/pump-1:Flow" });
        var source = new MqttSource(new MqttSourceOptions
        {
            Name = "sparkplug",
            Port = _broker.Port,
            ClientId = $"aifactory-test-{Guid.NewGuid():N}",
            Subscriptions = [new MqttSubscription("spBv1.0/line1/#", 1, decoder)],
        });
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        _broker.Publish("spBv1.0/line1/DBIRTH/edge-7/pump-1", new SparkplugPayload().At(T0).Metric("Flow", 31.5, SparkplugDataType.Double, alias: 4).ToArray());
        _broker.Publish("spBv1.0/line1/DDATA/edge-7/pump-1", [0x12, 0x40, 0x01]);
        _broker.Publish("spBv1.0/line1/DDATA/edge-7/pump-1", new SparkplugPayload().At(T0 + 1000).Metric(null, 33.0, alias: 4).ToArray());
        _broker.Publish("spBv1.0/line1/DDEATH/edge-7/pump-1", new SparkplugPayload().At(T0 + 2000).ToArray());

        Assert.Equal(new TagSample("pump-1/flow", DateTimeOffset.FromUnixTimeMilliseconds((long)T0), 31.5), await NextSample());
        Assert.Equal(new TagSample("pump-1/flow", DateTimeOffset.FromUnixTimeMilliseconds((long)T0 + 1000), 33.0), await NextSample());
        var dead = await NextSample();
        Assert.Equal(SampleQuality.Bad, dead.Quality);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((long)T0 + 2000), dead.Timestamp);
        Assert.Equal(1, source.Status.DecodeErrors);
        Assert.StartsWith("topic 'spBv1.0/line1/DDATA/edge-7/pump-1': malformed Sparkplug B payload (3 bytes): ", source.Status.LastError, StringComparison.Ordinal);
        await StopAsync(running);
    }
}
