using System.Runtime.InteropServices;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Mqtt.Native;
using AiFactory.Edge.Sources.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// Reads tags from an MQTT broker through Eclipse libmosquitto. libmosquitto's network thread connects,
/// reconnects with exponential backoff, and hands each message to a bounded queue; this source resubscribes
/// on every connect, decodes each message by the first subscription whose filter matches its topic, and
/// counts what it cannot decode (malformed payloads, unknown topics, a full queue) without stopping.
/// </summary>
public sealed partial class MqttSource : ISampleSource, IMosquittoListener
{
    private readonly MqttSourceOptions _options;
    private readonly ILogger _logger;
    private readonly BadInputLog _badInput;
    private readonly Channel<(string Topic, byte[] Payload, DateTimeOffset Arrival)> _messages;
    private readonly TimeProvider _time;
    private long _unknownTopics;
    private long _dropped;
    private long _connects;

    public MqttSource(MqttSourceOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _badInput = new BadInputLog(_logger, $"MQTT source '{options.Name}'", options.BadInputLogInterval, time);
        _time = time ?? TimeProvider.System;
        _messages = Channel.CreateBounded<(string, byte[], DateTimeOffset)>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, SingleWriter = true });
    }

    public string Name => _options.Name;

    public SourceStatus Status { get; } = new();

    /// <summary>Messages whose topic matched no subscription.</summary>
    public long UnknownTopics => Interlocked.Read(ref _unknownTopics);

    /// <summary>Messages dropped because the decode queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Successful connections so far (the first one included).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    public async Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        using var session = new MosquittoSession(_options, this, Status, _logger, _time, $"MQTT source '{Name}'");
        try
        {
            if (await session.StartAsync(cancellationToken).ConfigureAwait(false))
            {
                await DecodeAsync(writer, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            session.Dispose();
            Status.SetState(SourceState.Stopped);
        }
    }

    private async Task DecodeAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var samples = new List<TagSample>();
        try
        {
            await foreach (var (topic, payload, arrival) in _messages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var subscription = Route(topic);
                if (subscription is null)
                {
                    Interlocked.Increment(ref _unknownTopics);
                    Status.CountDecodeError($"topic '{topic}' matches no subscription");
                    continue;
                }

                samples.Clear();
                var problem = subscription.Decoder is Decoding.ITopicPayloadDecoder withTopic
                    ? withTopic.Decode(topic, payload, arrival, samples)
                    : subscription.Decoder.Decode(payload, arrival, samples);
                if (problem is not null)
                {
                    Status.CountDecodeError($"topic '{topic}': {problem}");
                    _badInput.Report(subscription.Topic, $"topic '{topic}': {problem}");
                }

                foreach (var sample in samples)
                {
                    await writer.WriteAsync(sample, cancellationToken).ConfigureAwait(false);
                    Status.CountSample();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private MqttSubscription? Route(string topic)
    {
        foreach (var s in _options.Subscriptions)
        {
            if (MqttTopic.Matches(s.Topic, topic))
            {
                return s;
            }
        }

        return null;
    }

    void IMosquittoListener.Connected(IntPtr mosq, int code)
    {
        if (code != 0)
        {
            var reason = Marshal.PtrToStringUTF8(MosquittoNative.ConnackString(code)) ?? $"code {code}";
            Status.SetState(SourceState.Disconnected, $"broker refused the connection: {reason}");
            LogRefused(_logger, Name, reason);
            return;
        }

        if (Interlocked.Increment(ref _connects) > 1)
        {
            Status.CountReconnect();
        }

        // A persistent session keeps subscriptions on the broker, but a broker restarted without persistence
        // forgets them: subscribe again on every connect.
        foreach (var s in _options.Subscriptions)
        {
            var rc = MosquittoNative.Subscribe(mosq, IntPtr.Zero, s.Topic, s.Qos);
            if (rc != MosquittoNative.Success)
            {
                Status.SetState(SourceState.Disconnected, $"subscribing to '{s.Topic}': {MosquittoNative.Describe(rc)}");
                return;
            }
        }

        Status.SetState(SourceState.Connected);
        LogConnected(_logger, Name, _options.Host, _options.Port, _options.Subscriptions.Count, Connects > 1);
    }

    void IMosquittoListener.Disconnected(int code)
    {
        if (code == 0)
        {
            return;
        }

        Status.SetState(SourceState.Disconnected, $"connection to {_options.Host}:{_options.Port} lost: {MosquittoNative.Describe(code)}");
        LogLost(_logger, Name, _options.Host, _options.Port, MosquittoNative.Describe(code));
    }

    unsafe void IMosquittoListener.Received(MosquittoMessage* message)
    {
        var topic = Marshal.PtrToStringUTF8(message->Topic) ?? string.Empty;
        var payload = message->PayloadLength > 0 ? new ReadOnlySpan<byte>((void*)message->Payload, message->PayloadLength).ToArray() : [];
        if (!_messages.Writer.TryWrite((topic, payload, _time.GetUtcNow())))
        {
            Interlocked.Increment(ref _dropped);
            Status.CountDecodeError($"decode queue full ({_options.QueueCapacity}); message on '{topic}' dropped");
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "MQTT source {Source}: connected to {Host}:{Port}, subscribed to {Subscriptions} filter(s) (reconnect: {Reconnect})")]
    private static partial void LogConnected(ILogger logger, string source, string host, int port, int subscriptions, bool reconnect);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "MQTT source {Source}: connection to {Host}:{Port} lost ({Reason}); reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string source, string host, int port, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "MQTT source {Source}: broker refused the connection: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

}
