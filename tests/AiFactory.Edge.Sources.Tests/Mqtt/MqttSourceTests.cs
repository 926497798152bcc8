using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>The MQTT source against a real mosquitto broker on 127.0.0.1.</summary>
[Trait("Category", "Integration")]
public sealed class MqttSourceTests : MosquittoHarness
{
    [MosquittoFact]
    public async Task Broker_AbsentAtStart_SourceConnectsWhenItComesAndDecodes()
    {
        var source = Source();
        var running = source.RunAsync(Writer, Stopping);
        await Task.Delay(300);
        Assert.NotEqual(SourceState.Connected, source.Status.State);

        Broker.Start();
        await WaitFor(() => source.Status.State == SourceState.Connected);
        Broker.Publish("plant/line1/pump/telemetry", """{"ts": 1767225600000, "sensors": {"flow": 31.5, "vib": [0.027, 0.040]}}""");

        var flow = await NextSample();
        var vib = await NextSample();
        Assert.Equal(new TagSample("pump-1/Volume Flow RateRMS", DateTimeOffset.FromUnixTimeMilliseconds(1767225600000), 31.5), flow);
        Assert.Equal(0.040, vib.Value);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task BadPayloads_AreCountedAndNeverStopTheFlow()
    {
        Broker.Start();
        var source = Source();
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        Broker.Publish("plant/line1/pump/telemetry", "{not json");
        Broker.Publish("plant/line1/pump/telemetry", """{"ts": 1, "sensors": {"flow": "high", "vib": [0, 0]}}""");
        Broker.Publish("plant/line1/pump/level", "abc");
        Broker.Publish("plant/line1/pump/level", "3.25");

        // The bad field and the bad number arrive as Bad samples of their tags (counted per tag), the rest as values.
        var samples = new List<TagSample>();
        for (var i = 0; i < 4; i++)
        {
            samples.Add(await NextSample());
        }

        Assert.Equal(
            [("pump-1/Volume Flow RateRMS", SampleQuality.Bad), ("pump-1/Accelerometer2RMS", SampleQuality.Good), ("pump-1/level", SampleQuality.Bad), ("pump-1/level", SampleQuality.Good)],
            samples.Select(s => (s.Tag, s.Quality)).ToArray());
        Assert.Equal(3.25, samples[^1].Value);
        await WaitFor(() => source.Status.DecodeErrors == 3);
        Assert.Contains("'abc' is not a number", source.Status.LastError, StringComparison.Ordinal);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task Broker_RestartMidRun_SourceReconnectsResubscribesAndFlowsAgain()
    {
        Broker.Start();
        var source = Source();
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);
        Broker.Publish("plant/line1/pump/level", "1");
        Assert.Equal(1, (await NextSample()).Value);

        Broker.Stop();
        await WaitFor(() => source.Status.State == SourceState.Disconnected);
        Assert.Contains("lost", source.Status.LastError, StringComparison.Ordinal);
        Broker.Start();
        await WaitFor(() => source.Status.State == SourceState.Connected);
        Broker.Publish("plant/line1/pump/level", "2");

        Assert.Equal(2, (await NextSample()).Value);
        Assert.Equal(2, source.Connects);
        Assert.Equal(1, source.Status.Reconnects);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task DecoderThatThrows_IsCountedOnItsMessage_AndTheSourceGoesOn()
    {
        // Decoding runs on the source's loop: an exception escaping there would end the source.
        Broker.Start();
        var source = new MqttSource(new MqttSourceOptions
        {
            Name = "plant-broker",
            Port = Broker.Port,
            ClientId = $"aifactory-test-{Guid.NewGuid():N}",
            Subscriptions =
            [
                new MqttSubscription("plant/line1/pump/broken", 1, new ThrowingDecoder()),
                new MqttSubscription("plant/line1/pump/level", 1, new NumberPayloadDecoder("pump-1/level")),
            ],
        });
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        Broker.Publish("plant/line1/pump/broken", "1");
        Broker.Publish("plant/line1/pump/level", "4.5");

        Assert.Equal(4.5, (await NextSample()).Value);
        await WaitFor(() => source.Status.DecodeErrors == 1);
        Assert.Contains("decoding a message failed: a decoder bug", source.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(SourceState.Connected, source.Status.State);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task LineFull_Qos1WaitsInOrderWithNoneDropped_Qos0BeyondTheInboxIsCountedAsDropped()
    {
        Broker.Start();
        var line = System.Threading.Channels.Channel.CreateBounded<TagSample>(2);
        var source = LevelSource(queueCapacity: 50, qos: 1);
        var running = source.RunAsync(line.Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        // 40 QoS 1 samples into a line that holds 2: each is acknowledged only once in the line, so the broker waits
        // and every one follows, in order.
        Broker.PublishLines("plant/line1/pump/level", Levels(1, 40), qos: 1);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (double)i), await Read(line.Reader, 40));
        Assert.Equal(0, source.Dropped);

        // 100 QoS 0 messages while nobody reads: 2 fit in the line, 1 waits in the source's hands, 50 in its inbox;
        // the rest are dropped and counted. The first 50 kept are 41..90 in order. Up to 3 more follow, still in order:
        // 91..93 when the source took its three before the inbox filled, later ones when it took them after a drop.
        Broker.PublishLines("plant/line1/pump/level", Levels(41, 100), qos: 0);
        await WaitFor(() => source.Messages == 140);
        var kept = (int)(100 - source.Dropped);
        Assert.InRange(kept, 50, 53);
        var values = await Read(line.Reader, kept);
        Assert.Equal(Enumerable.Range(41, 50).Select(i => (double)i), values.Take(50));
        Assert.All(values.Skip(50).Zip(values.Skip(49)), pair => Assert.InRange(pair.First, pair.Second + 1, 140));
        Assert.Contains("inbox full (50)", source.Status.LastError, StringComparison.Ordinal);
        await WaitFor(() => source.Status.Samples == 40 + kept);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task Qos1_MessageWhoseSamplesNeverReachedTheLine_IsRedeliveredToTheNextSession_AndAcknowledgedOnesAreNot()
    {
        Broker.Start();
        var clientId = $"aifactory-test-{Guid.NewGuid():N}";
        var full = System.Threading.Channels.Channel.CreateBounded<TagSample>(1);
        using var firstStop = new CancellationTokenSource();
        var first = LevelSource(queueCapacity: 50, qos: 1, clientId);
        var running = first.RunAsync(full.Writer, firstStop.Token);
        await WaitFor(() => first.Status.State == SourceState.Connected);

        // 1 fills the line and is acknowledged; 2 waits for room that never comes, unacknowledged, until the stop.
        Broker.PublishLines("plant/line1/pump/level", Levels(1, 2), qos: 1);
        await WaitFor(() => first.Messages == 2);
        await firstStop.CancelAsync();
        await running.WaitAsync(Eventually.Patience);
        Assert.Equal(1, first.Unacknowledged);
        Assert.Equal(1, first.Dropped);
        Assert.Equal(1, (await full.Reader.ReadAsync()).Value);

        // The same client id, persistent session: the broker delivers 2 again, and not 1.
        var second = LevelSource(queueCapacity: 50, qos: 1, clientId);
        var again = second.RunAsync(Writer, Stopping);
        Assert.Equal(2, (await NextSample()).Value);
        Broker.Publish("plant/line1/pump/level", "3");
        Assert.Equal(3, (await NextSample()).Value);
        Assert.Equal(0, second.Unacknowledged);
        await StopAsync(again);
    }

    [MosquittoFact]
    public async Task PersistentSession_MessagesPublishedWhileAway_ArriveInOrderOnReconnect_WithMqtt311And5()
    {
        Broker.Start();
        foreach (var protocol in new[] { MQTTnet.Formatter.MqttProtocolVersion.V311, MQTTnet.Formatter.MqttProtocolVersion.V500 })
        {
            var clientId = $"aifactory-test-{Guid.NewGuid():N}";
            using var firstStop = new CancellationTokenSource();
            var first = LevelSource(queueCapacity: 50, qos: 1, clientId, protocol);
            var running = first.RunAsync(Writer, firstStop.Token);
            await WaitFor(() => first.Status.State == SourceState.Connected);
            await firstStop.CancelAsync();
            await running.WaitAsync(Eventually.Patience);

            // Away (disconnected, session kept): the broker queues these for the client id.
            Broker.PublishLines("plant/line1/pump/level", Levels(1, 5), qos: 1);

            using var secondStop = new CancellationTokenSource();
            var second = LevelSource(queueCapacity: 50, qos: 1, clientId, protocol);
            var back = second.RunAsync(Writer, secondStop.Token);
            var values = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                values.Add((await NextSample()).Value);
            }

            Assert.Equal([1.0, 2, 3, 4, 5], values);
            await secondStop.CancelAsync();
            await back.WaitAsync(Eventually.Patience);
        }
    }

    [MosquittoFact]
    public async Task Tls_WithTheCaAndAClientCertificate_ConnectsAndDecodes_AndABrokerSignedByAnotherCaIsRefused()
    {
        var pki = Broker.UseTls();
        Broker.Start();
        var source = new MqttSource(TlsOptions(pki.CaFile, pki));
        var running = source.RunAsync(Writer, Stopping);
        await Eventually.WaitFor(() => source.Status.State == SourceState.Connected, "connected");
        Assert.True(source.Status.State == SourceState.Connected, source.Status.LastError);
        Broker.Publish("plant/line1/pump/level", "6.5");
        Assert.Equal(6.5, (await NextSample()).Value);
        await StopAsync(running);

        using var otherStop = new CancellationTokenSource();
        var distrusting = new MqttSource(TlsOptions(pki.OtherCaFile, pki));
        var refused = distrusting.RunAsync(Writer, otherStop.Token);
        await WaitFor(() => distrusting.Status.LastError is not null);
        Assert.StartsWith($"connecting to 127.0.0.1:{Broker.Port}: ", distrusting.Status.LastError, StringComparison.Ordinal);
        Assert.Contains("certificate", distrusting.Status.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, distrusting.Connects);
        await otherStop.CancelAsync();
        await refused.WaitAsync(Eventually.Patience);
    }

    [MosquittoFact]
    public async Task Tls_WithoutTheClientCertificateTheBrokerRequires_NeverConnects_AndSaysWhy()
    {
        var pki = Broker.UseTls();
        Broker.Start();
        var source = new MqttSource(TlsOptions(pki.CaFile, null));
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.LastError is not null);
        Assert.StartsWith($"connecting to 127.0.0.1:{Broker.Port}: ", source.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, source.Connects);
        Assert.NotEqual(SourceState.Connected, source.Status.State);
        await StopAsync(running);
    }

    private MqttSourceOptions TlsOptions(string caFile, TestCertificates? client) => new()
    {
        Name = "plant-broker",
        Port = Broker.Port,
        ClientId = $"aifactory-test-{Guid.NewGuid():N}",
        CaFile = caFile,
        CertFile = client?.ClientCertFile,
        KeyFile = client?.ClientKeyFile,
        Subscriptions = [new MqttSubscription("plant/line1/pump/level", 1, new NumberPayloadDecoder("pump-1/level"))],
    };

    private static async Task<List<double>> Read(System.Threading.Channels.ChannelReader<TagSample> line, int count)
    {
        var values = new List<double>();
        for (var i = 0; i < count; i++)
        {
            values.Add((await line.ReadAsync().AsTask().WaitAsync(Eventually.Patience)).Value);
        }

        return values;
    }

    /// <summary>A source of one number tag, pump-1/level, on plant/line1/pump/level, with the given inbox, in a persistent session.</summary>
    private MqttSource LevelSource(int queueCapacity, int qos, string? clientId = null, MQTTnet.Formatter.MqttProtocolVersion protocol = MQTTnet.Formatter.MqttProtocolVersion.V311) => new(new MqttSourceOptions
    {
        Name = "plant-broker",
        Port = Broker.Port,
        ClientId = clientId ?? $"aifactory-test-{Guid.NewGuid():N}",
        Protocol = protocol,
        QueueCapacity = queueCapacity,
        Subscriptions = [new MqttSubscription("plant/line1/pump/level", qos, new NumberPayloadDecoder("pump-1/level"))],
    });

    /// <summary>Level payloads <paramref name="from"/> .. from + count − 1, one message each.</summary>
    private static IEnumerable<string> Levels(int from, int count) => Enumerable.Range(from, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private MqttSource Source() => new(new MqttSourceOptions
    {
        Name = "plant-broker",
        Port = Broker.Port,
        ClientId = $"aifactory-test-{Guid.NewGuid():N}",
        ReconnectDelaySeconds = 1,
        ReconnectDelayMaxSeconds = 1,
        Subscriptions =
        [
            new MqttSubscription("plant/+/pump/telemetry", 1, new JsonPayloadDecoder(
                new Dictionary<string, string> { ["pump-1/Volume Flow RateRMS"] = "sensors.flow", ["pump-1/Accelerometer2RMS"] = "sensors.vib[1]" }, "ts")),
            new MqttSubscription("plant/line1/pump/level", 1, new NumberPayloadDecoder("pump-1/level")),
        ],
    });

    private sealed class ThrowingDecoder : IPayloadDecoder
    {
        public string? Decode(ReadOnlySpan<byte> payload, DateTimeOffset arrival, List<TagSample> output) => throw new InvalidOperationException("a decoder bug");
    }
}
