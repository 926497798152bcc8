using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>Bad MQTT input through a real mosquitto: every message counted, log lines rate-limited per reason.</summary>
[Trait("Category", "Integration")]
public sealed class MqttBadInputLogTests : SourceHarness
{
    private readonly MosquittoBroker _broker = new();

    public override void Dispose()
    {
        base.Dispose();
        _broker.Dispose();
    }

    [MosquittoFact]
    public async Task BadPayloadBurst_OneLinePerIntervalAndTheNextSaysHowManyWereSuppressed()
    {
        _broker.Start();
        var clock = new FakeTimeProvider();
        var log = new CapturingLogger();
        var source = new MqttSource(
            new MqttSourceOptions
            {
                Name = "plant",
                Port = _broker.Port,
                ClientId = $"aifactory-test-{Guid.NewGuid():N}",
                Subscriptions = [new MqttSubscription("plant/level", 1, new NumberPayloadDecoder("level"))],
            },
            log,
            clock);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        _broker.PublishLines("plant/level", ["a", "b", "c"]);
        await WaitFor(() => source.Status.DecodeErrors == 3);
        clock.Advance(TimeSpan.FromSeconds(10));
        _broker.Publish("plant/level", "d");
        await WaitFor(() => source.Status.DecodeErrors == 4);

        Assert.Equal(
            [
                "MQTT source plant: message on plant/level not decoded: 'a' is not a number (0 more suppressed)",
                "MQTT source plant: message on plant/level not decoded: 'd' is not a number (2 more suppressed)",
            ],
            log.Messages(3004));
        await StopAsync(running);
    }
}
