using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding.Sparkplug;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Testing;
using static AiFactory.Edge.Sources.Tests.Decoding.SparkplugPayloads;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>Sparkplug B payloads through a real mosquitto broker into the MQTT source.</summary>
[Trait("Category", "Integration")]
public sealed class SparkplugMqttTests : MosquittoHarness
{
    [MosquittoFact]
    public async Task BirthThenDataByAlias_BecomeSamples_AndMalformedPayloadIsCountedNotFatal()
    {
        Broker.Start();
        var source = new MqttSource(new MqttSourceOptions
        {
            Name = "sparkplug",
            Port = Broker.Port,
            ClientId = $"aifactory-spb-{Guid.NewGuid():N}",
            Subscriptions = [new MqttSubscription("spBv1.0/plant1/+/gw1/#", 1, new SparkplugDecoder(new Dictionary<string, string> { ["gw1/pump1/Flow"] = "pump-1/flow" }))],
        });
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);
        await using var device = new MqttVerdictPublisher(new MqttSourceOptions { Name = "device", Port = Broker.Port, ClientId = $"spb-device-{Guid.NewGuid():N}" }, "{station}", qos: 1);
        await device.StartAsync(CancellationToken.None);

        device.Publish("spBv1.0/plant1/DBIRTH/gw1/pump1", Payload(1_767_225_600_000, Metric("Flow", 5, 31.0, 10)));
        device.Publish("spBv1.0/plant1/DDATA/gw1/pump1", new byte[] { 0x12, 0xFF });
        device.Publish("spBv1.0/plant1/DDATA/gw1/pump1", Payload(1_767_225_601_000, Metric(null, 5, 33.5, 10)));

        Assert.Equal(31.0, (await NextSample()).Value);
        var data = await NextSample();
        Assert.Equal(("pump-1/flow", 33.5, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_601_000)), (data.Tag, data.Value, data.Timestamp));
        await WaitFor(() => source.Status.DecodeErrors == 1);
        Assert.Contains("not a Sparkplug B payload", source.Status.LastError, StringComparison.Ordinal);
        await StopAsync(running);
    }
}
