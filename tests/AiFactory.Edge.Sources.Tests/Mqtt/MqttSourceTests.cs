using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>The MQTT source against a real mosquitto broker on 127.0.0.1.</summary>
[Trait("Category", "Integration")]
public sealed class MqttSourceTests : SourceHarness
{
    private readonly MosquittoBroker _broker = new();

    public override void Dispose()
    {
        base.Dispose();
        _broker.Dispose();
    }

    [MosquittoFact]
    public async Task Broker_AbsentAtStart_SourceConnectsWhenItComesAndDecodes()
    {
        var source = Source();
        var running = source.RunAsync(Writer, Stopping);
        await Task.Delay(300);
        Assert.NotEqual(SourceState.Connected, source.Status.State);

        _broker.Start();
        await WaitFor(() => source.Status.State == SourceState.Connected);
        _broker.Publish("plant/line1/pump/telemetry", """{"ts": 1767225600000, "sensors": {"flow": 31.5, "vib": [0.027, 0.040]}}""");

        var flow = await NextSample();
        var vib = await NextSample();
        Assert.Equal(new TagSample("pump-1/Volume Flow RateRMS", DateTimeOffset.FromUnixTimeMilliseconds(1767225600000), 31.5), flow);
        Assert.Equal(0.040, vib.Value);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task BadPayloads_AreCountedAndNeverStopTheFlow()
    {
        _broker.Start();
        var source = Source();
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        _broker.Publish("plant/line1/pump/telemetry", "{not json");
        _broker.Publish("plant/line1/pump/telemetry", """{"ts": 1, "sensors": {"flow": "high", "vib": [0, 0]}}""");
        _broker.Publish("plant/line1/pump/level", "abc");
        _broker.Publish("plant/line1/pump/level", "3.25");

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
        _broker.Start();
        var source = Source();
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);
        _broker.Publish("plant/line1/pump/level", "1");
        Assert.Equal(1, (await NextSample()).Value);

        _broker.Stop();
        await WaitFor(() => source.Status.State == SourceState.Disconnected);
        Assert.Contains("lost", source.Status.LastError, StringComparison.Ordinal);
        _broker.Start();
        await WaitFor(() => source.Status.State == SourceState.Connected);
        _broker.Publish("plant/line1/pump/level", "2");

        Assert.Equal(2, (await NextSample()).Value);
        Assert.Equal(2, source.Connects);
        Assert.Equal(1, source.Status.Reconnects);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task DecoderThatThrows_IsCountedOnItsMessage_AndTheSourceGoesOn()
    {
        // Decoding runs inside libmosquitto's callback: an exception escaping there would end the process.
        _broker.Start();
        var source = new MqttSource(new MqttSourceOptions
        {
            Name = "plant-broker",
            Port = _broker.Port,
            ClientId = $"aifactory-test-{Guid.NewGuid():N}",
            Subscriptions =
            [
                new MqttSubscription("plant/line1/pump/broken", 1, new ThrowingDecoder()),
                new MqttSubscription("plant/line1/pump/level", 1, new NumberPayloadDecoder("pump-1/level")),
            ],
        });
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        _broker.Publish("plant/line1/pump/broken", "1");
        _broker.Publish("plant/line1/pump/level", "4.5");

        Assert.Equal(4.5, (await NextSample()).Value);
        await WaitFor(() => source.Status.DecodeErrors == 1);
        Assert.Contains("decoding a message failed: a decoder bug", source.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(SourceState.Connected, source.Status.State);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task LineFull_SamplesWaitInOrder_AndBeyondTheOverflowQueueAreCountedAsDropped()
    {
        _broker.Start();
        var line = System.Threading.Channels.Channel.CreateBounded<TagSample>(2);
        var source = LevelSource(queueCapacity: 50);
        var running = source.RunAsync(line.Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        async Task<List<double>> Read(int count)
        {
            var values = new List<double>();
            for (var i = 0; i < count; i++)
            {
                values.Add((await line.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience)).Value);
            }

            return values;
        }

        // 40 samples into a line that holds 2: the rest wait in the overflow queue and follow in order.
        _broker.PublishLines("plant/line1/pump/level", Levels(1, 40));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (double)i), await Read(40));
        Assert.Equal(0, source.Dropped);

        // 100 more while nobody reads: 2 in the line and 50 waiting; the other 48 are dropped, counted and reported.
        _broker.PublishLines("plant/line1/pump/level", Levels(41, 100));
        await WaitFor(() => source.Dropped == 48);
        Assert.Equal(Enumerable.Range(41, 52).Select(i => (double)i), await Read(52));
        Assert.Contains("overflow queue full (50)", source.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(92, source.Status.Samples);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task BurstEnded_WhoeverRoutesIsToldOnTheNetworkThread_AgainWhenItAsks_AndBeforeTheFeedWaitsForRoom()
    {
        _broker.Start();
        var line = System.Threading.Channels.Channel.CreateBounded<TagSample>(2);
        var routed = new List<double>();
        var calls = new List<(bool MayHold, string? Thread, long At)>();
        var holdOnce = true;
        var holdAlways = false;
        var source = LevelSource(queueCapacity: 100);

        // The line, as the source sees it: nobody else reads the channel. The first time it may, it holds what is
        // there and asks to be called again in 200 ms; after that it routes (here: takes) whatever it is told about,
        // except while it holds whatever it may hold.
        source.BurstEnded = mayHold =>
        {
            lock (routed)
            {
                calls.Add((mayHold, Thread.CurrentThread.Name, System.Diagnostics.Stopwatch.GetTimestamp()));
                if (mayHold && holdAlways)
                {
                    return TimeSpan.FromSeconds(30);
                }

                if (mayHold && holdOnce && line.Reader.Count > 0)
                {
                    holdOnce = false;
                    return TimeSpan.FromMilliseconds(200);
                }

                TakeAll(line.Reader, routed);

                return null;
            }
        };
        var running = source.RunAsync(line.Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        // One sample, held: it is taken only when the source calls again at the time asked for, with nothing new read.
        _broker.Publish("plant/line1/pump/level", "1");
        await WaitFor(() => { lock (routed) { return routed.Count == 1; } });
        (bool MayHold, string? Thread, long At)[] first;
        lock (routed)
        {
            first = [.. calls];
        }

        Assert.All(first, c => Assert.True(c.MayHold));
        Assert.All(first, c => Assert.Equal("mqtt plant-broker", c.Thread));
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(first[0].At, first[^1].At) >= TimeSpan.FromMilliseconds(190));

        // 60 samples into a line that holds 2 and that only the callback empties, while it holds what the network
        // thread reports: the overflow feed tells it (may not hold) before it waits for room, so every sample gets
        // into the line, in order, and none is dropped. (The last ones stay held in the channel: the test takes them.)
        lock (routed)
        {
            holdAlways = true;
        }

        _broker.PublishLines("plant/line1/pump/level", Levels(2, 60));
        await WaitFor(() => source.Status.Samples == 61);
        lock (routed)
        {
            TakeAll(line.Reader, routed);

            Assert.Equal(Enumerable.Range(1, 61).Select(i => (double)i), routed);
            Assert.Contains(calls, c => !c.MayHold);
        }

        Assert.Equal(0, source.Dropped);
        await StopAsync(running);
    }

    [MosquittoFact]
    public async Task BurstEnded_WhatTheLineHoldsIsReleasedWhenTheConnectionIsLost_NotAfterTheReconnect()
    {
        _broker.Start();
        var line = System.Threading.Channels.Channel.CreateBounded<TagSample>(10);
        var routed = new List<double>();
        var source = Source();

        // A line that holds whatever it may hold, for a minute; told that it may not, it takes what is there.
        source.BurstEnded = mayHold =>
        {
            lock (routed)
            {
                if (mayHold)
                {
                    return TimeSpan.FromMinutes(1);
                }

                TakeAll(line.Reader, routed);

                return null;
            }
        };
        var running = source.RunAsync(line.Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);
        _broker.Publish("plant/line1/pump/level", "7");
        await WaitFor(() => line.Reader.Count == 1);
        lock (routed)
        {
            Assert.Empty(routed);
        }

        // The broker goes away and stays away: the held sample is routed now, while the source waits to reconnect.
        _broker.Stop();
        await WaitFor(() => { lock (routed) { return routed.Count == 1; } });
        Assert.Equal(7, routed[0]);
        Assert.Equal(SourceState.Disconnected, source.Status.State);
        await StopAsync(running);
    }

    /// <summary>A source of one number tag, pump-1/level, on plant/line1/pump/level, with the given overflow queue.</summary>
    private MqttSource LevelSource(int queueCapacity) => new(new MqttSourceOptions
    {
        Name = "plant-broker",
        Port = _broker.Port,
        ClientId = $"aifactory-test-{Guid.NewGuid():N}",
        QueueCapacity = queueCapacity,
        Subscriptions = [new MqttSubscription("plant/line1/pump/level", 1, new NumberPayloadDecoder("pump-1/level"))],
    });

    /// <summary>Level payloads <paramref name="from"/> .. from + count − 1, one message each.</summary>
    private static IEnumerable<string> Levels(int from, int count) => Enumerable.Range(from, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>What a stand-in line does when it routes: takes every sample in the channel.</summary>
    private static void TakeAll(System.Threading.Channels.ChannelReader<TagSample> line, List<double> routed)
    {
        while (line.TryRead(out var sample))
        {
            routed.Add(sample.Value);
        }
    }

    private MqttSource Source() => new(new MqttSourceOptions
    {
        Name = "plant-broker",
        Port = _broker.Port,
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
