using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>The verdict publisher against a real mosquitto broker that keeps its sessions across a restart.</summary>
[Trait("Category", "Integration")]
public sealed class MqttVerdictPublisherTests() : MosquittoHarness(persistent: true)
{
    [MosquittoFact]
    public async Task BrokerAway_VerdictsPublishedMeanwhileWait_AndGoOutInOrderOnReconnect()
    {
        Broker.Start();
        var subscriberId = $"aifactory-line-{Guid.NewGuid():N}";

        // A subscriber with a persistent session, away while all this happens: the broker queues what it gets.
        await using (var publisher = new MqttVerdictPublisher(PublisherOptions(), "plant/line1/{station}/verdict", qos: 1))
        {
            using (var away = new CancellationTokenSource())
            {
                var subscriber = Subscriber(subscriberId);
                var running = subscriber.RunAsync(Writer, away.Token);
                await WaitFor(() => subscriber.Status.State == SourceState.Connected);
                await away.CancelAsync();
                await running.WaitAsync(Eventually.Patience);
            }

            Assert.True(await publisher.StartAsync(CancellationToken.None));
            Broker.Stop();
            await WaitFor(() => publisher.Status.State == SourceState.Disconnected);

            Assert.True(publisher.Publish("pump-1", "1"u8));
            Assert.True(publisher.Publish("pump-1", "2"u8));
            Assert.True(publisher.Publish("pump-1", "3"u8));
            Assert.Equal((3, 0, 0), (publisher.Published, publisher.Sent, publisher.Failed));

            Broker.Start();
            Assert.True(await publisher.FlushAsync(Eventually.Patience));
            Assert.Equal((3, 3, 0), (publisher.Published, publisher.Sent, publisher.Failed));
            Assert.Equal(SourceState.Connected, publisher.Status.State);
        }

        var back = Subscriber(subscriberId);
        var reading = back.RunAsync(Writer, Stopping);
        var values = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            values.Add((await NextSample()).Value);
        }

        Assert.Equal([1.0, 2, 3], values);
        await StopAsync(reading);
    }

    private MqttSourceOptions PublisherOptions() => new()
    {
        Name = "verdicts",
        Port = Broker.Port,
        ClientId = $"aifactory-test-{Guid.NewGuid():N}",
        ReconnectDelaySeconds = 1,
        ReconnectDelayMaxSeconds = 1,
    };

    private MqttSource Subscriber(string clientId) => new(new MqttSourceOptions
    {
        Name = "line",
        Port = Broker.Port,
        ClientId = clientId,
        Subscriptions = [new MqttSubscription("plant/line1/+/verdict", 1, new NumberPayloadDecoder("pump-1/verdict"))],
    });
}
