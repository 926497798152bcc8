using System.Buffers;
using System.Threading.Channels;
using AiFactory.Edge.Sources.Mqtt;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>
/// The least an MQTTnet-based agent must do per message, run as its own process (<c>--mqtt-client-floor PORT TOPIC KIND</c>):
/// the agent's connect settings (MQTT 3.1.1, clean session, TCP no-delay), a receive handler that copies the payload
/// into a pooled buffer and hands it to a bounded channel (what issue 11 asks of the source), and one reader that takes
/// each message and returns its buffer: no decoding, no routing, no scoring, no verdict. Answers each line on its
/// standard input with "received dropped". With kind "low-level", MQTTnet's low-level client instead: one loop reads
/// the packets off the connection and hands each publish's payload to the channel itself (no event, no queue inside
/// MQTTnet between the socket's reader and the handler; it would have to do QoS 1/2 and keep-alive itself).
/// </summary>
internal static class FloorClient
{
    /// <param name="kind">"client" (the agent's connect options, MqttClientOptionsFactory) or "low-level" (MQTTnet's
    /// low-level client).</param>
    public static async Task<int> RunAsync(int port, string topic, string kind)
    {
        var inbox = new Inbox();
        var reader = Task.Run(inbox.ReadAsync);
        if (kind == "low-level")
        {
            await RunLowLevelAsync(port, topic, inbox).ConfigureAwait(false);
        }
        else
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e =>
            {
                inbox.Hand(e.ApplicationMessage.Payload);
                return Task.CompletedTask;
            };
            var options = MqttClientOptionsFactory.Build(new MqttSourceOptions { Host = "127.0.0.1", Port = port, ClientId = "bench-floor", CleanSession = true }, null);
            await client.ConnectAsync(options).ConfigureAwait(false);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtMostOnce).Build()).ConfigureAwait(false);
            inbox.AnswerUntilStdinCloses();
            await client.DisconnectAsync().ConfigureAwait(false);
        }

        inbox.Complete();
        await reader.ConfigureAwait(false);
        return 0;
    }

    private static async Task RunLowLevelAsync(int port, string topic, Inbox inbox)
    {
        using var client = new MqttClientFactory().CreateLowLevelMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithTimeout(TimeSpan.FromSeconds(10)).Build();
        ((MqttClientTcpOptions)options.ChannelOptions).NoDelay = true;
        await client.ConnectAsync(options).ConfigureAwait(false);
        await client.SendAsync(new MqttConnectPacket { ClientId = "bench-floor-low-level", CleanSession = true, KeepAlivePeriod = 600 }).ConfigureAwait(false);
        if (await client.ReceiveAsync().ConfigureAwait(false) is not MqttConnAckPacket)
        {
            throw new InvalidOperationException("the broker did not answer CONNECT with CONNACK");
        }

        await client.SendAsync(new MqttSubscribePacket { PacketIdentifier = 1, TopicFilters = [new MqttTopicFilter { Topic = topic, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }] }).ConfigureAwait(false);
        if (await client.ReceiveAsync().ConfigureAwait(false) is not MqttSubAckPacket)
        {
            throw new InvalidOperationException("the broker did not answer SUBSCRIBE with SUBACK");
        }

        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    if (await client.ReceiveAsync(stop.Token).ConfigureAwait(false) is MqttPublishPacket publish)
                    {
                        inbox.Hand(publish.Payload);
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
        });
        inbox.AnswerUntilStdinCloses();
        await stop.CancelAsync().ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
    }

    /// <summary>The bounded hand-off, its one reader, and the counts answered on standard input.</summary>
    private sealed class Inbox
    {
        private readonly Channel<(byte[] Buffer, int Length)> _channel = Channel.CreateBounded<(byte[] Buffer, int Length)>(new BoundedChannelOptions(10_000) { SingleReader = true });
        private long _received;
        private long _dropped;

        /// <summary>Copies the payload into a pooled buffer and hands it over; a full channel drops it, counted.</summary>
        public void Hand(ReadOnlySequence<byte> payload)
        {
            var length = (int)payload.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            payload.CopyTo(buffer);
            if (!_channel.Writer.TryWrite((buffer, length)))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                Interlocked.Increment(ref _dropped);
            }
        }

        public async Task ReadAsync()
        {
            while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_channel.Reader.TryRead(out var message))
                {
                    ArrayPool<byte>.Shared.Return(message.Buffer);
                    Interlocked.Increment(ref _received);
                }
            }
        }

        /// <summary>Says "ready", then answers each line on standard input with "received dropped" until it closes.</summary>
        public void AnswerUntilStdinCloses()
        {
            Console.WriteLine("ready");
            while (Console.ReadLine() is not null)
            {
                Console.WriteLine($"{Interlocked.Read(ref _received)} {Interlocked.Read(ref _dropped)}");
            }
        }

        public void Complete() => _channel.Writer.Complete();
    }
}
