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
/// reconnects with exponential backoff, and hands each message to this source, which decodes it there (by the
/// first subscription whose filter matches its topic) and writes its samples straight into the line's channel:
/// no extra queue or thread per message. While the line's channel is full, samples wait in order in a bounded
/// overflow queue that a task feeds in as room appears; beyond that, they are counted as dropped. Malformed
/// payloads, unknown topics and drops are counted and logged (rate-limited) without stopping; the source
/// resubscribes on every connect. When the line asks (<see cref="BurstEnded"/>), the source tells it after each
/// burst of messages read, so the line can route them on the network thread.
/// </summary>
public sealed partial class MqttSource : IBurstSource, IMosquittoListener
{
    private readonly MqttSourceOptions _options;
    private readonly ILogger _logger;
    private readonly BadInputLog _badInput;
    private readonly TimeProvider _time;
    private readonly List<TagSample> _decoded = [];
    private readonly Queue<TagSample> _overflow = new();
    private readonly Lock _overflowGate = new();
    private readonly SemaphoreSlim _overflowed = new(0);
    private ChannelWriter<TagSample>? _writer;
    private byte[] _lastTopicBytes = [];
    private string _lastTopic = string.Empty;
    private MqttSubscription? _lastSubscription;
    private long _unknownTopics;
    private long _dropped;
    private long _connects;

    public MqttSource(MqttSourceOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _badInput = new BadInputLog(_logger, $"MQTT source '{options.Name}'", options.BadInputLogInterval, time);
        _time = time ?? TimeProvider.System;
    }

    public string Name => _options.Name;

    public SourceStatus Status { get; } = new();

    /// <summary>Messages whose topic matched no subscription.</summary>
    public long UnknownTopics => Interlocked.Read(ref _unknownTopics);

    /// <summary>Samples dropped because the line's channel and this source's overflow queue were both full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Successful connections so far (the first one included).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    public Func<bool, TimeSpan?>? BurstEnded { get; set; }

    public async Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        _writer = writer;
        using var session = new MosquittoSession(_options, this, Status, _logger, _time, $"MQTT source '{Name}'");
        try
        {
            if (await session.StartAsync(cancellationToken).ConfigureAwait(false))
            {
                await FeedOverflowAsync(writer, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // No message arrives after this: what still waits for room goes in if there is room now, else is counted.
            session.Dispose();
            lock (_overflowGate)
            {
                while (_overflow.TryPeek(out var sample) && writer.TryWrite(sample))
                {
                    _overflow.Dequeue();
                    Status.CountSample();
                }

                if (_overflow.Count > 0)
                {
                    Interlocked.Add(ref _dropped, _overflow.Count);
                    Status.CountDecodeError($"stopped with {_overflow.Count} sample(s) still waiting for room in the line; dropped");
                    _overflow.Clear();
                }
            }

            BurstEnded?.Invoke(false);
            Status.SetState(SourceState.Stopped);
        }
    }

    /// <summary>Moves samples that found the line full into it, in order, as room appears.</summary>
    private async Task FeedOverflowAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _overflowed.WaitAsync(cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    TagSample next;
                    lock (_overflowGate)
                    {
                        if (!_overflow.TryPeek(out next))
                        {
                            break;
                        }
                    }

                    // The sample stays at the head while it waits, so the network thread queues behind it. Before
                    // waiting for room, the line is told what it has, so that whoever routes makes that room.
                    if (!writer.TryWrite(next))
                    {
                        BurstEnded?.Invoke(false);
                        await writer.WriteAsync(next, cancellationToken).ConfigureAwait(false);
                    }

                    Status.CountSample();
                    lock (_overflowGate)
                    {
                        _overflow.Dequeue();
                    }
                }

                BurstEnded?.Invoke(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>On the network thread: hands one decoded sample to the line, or to the overflow queue behind earlier ones.</summary>
    private void Hand(TagSample sample)
    {
        lock (_overflowGate)
        {
            if (_overflow.Count == 0 && _writer!.TryWrite(sample))
            {
                Status.CountSample();
                return;
            }

            if (_overflow.Count >= _options.QueueCapacity)
            {
                Interlocked.Increment(ref _dropped);
                Status.CountDecodeError($"line full and overflow queue full ({_options.QueueCapacity}); a sample of '{sample.Tag}' dropped");
                _badInput.Report("overflow", $"line full and overflow queue full ({_options.QueueCapacity}); samples dropped");
                return;
            }

            _overflow.Enqueue(sample);
            if (_overflow.Count == 1)
            {
                _overflowed.Release();
            }
        }
    }

    /// <summary>The topic as a string and its subscription; consecutive messages on one topic reuse the last lookup.</summary>
    private unsafe (string Topic, MqttSubscription? Subscription) Lookup(IntPtr native)
    {
        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)native);
        if (!bytes.SequenceEqual(_lastTopicBytes))
        {
            _lastTopicBytes = bytes.ToArray();
            _lastTopic = System.Text.Encoding.UTF8.GetString(bytes);
            _lastSubscription = Route(_lastTopic);
        }

        return (_lastTopic, _lastSubscription);
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

    TimeSpan? IMosquittoListener.ReadsEnded(bool mayAskAgain) => BurstEnded?.Invoke(mayAskAgain);

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
        // This runs on libmosquitto's thread, called from native code: an exception escaping here would end the
        // process, so a decoder's failure is counted like any bad payload.
        try
        {
            Receive(message);
        }
        catch (Exception ex)
        {
            Status.CountDecodeError($"decoding a message failed: {ex.Message}");
            _badInput.Report("decoder failure", $"decoding a message failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private unsafe void Receive(MosquittoMessage* message)
    {
        var (topic, subscription) = Lookup(message->Topic);
        if (subscription is null)
        {
            Interlocked.Increment(ref _unknownTopics);
            Status.CountDecodeError($"topic '{topic}' matches no subscription");
            _badInput.Report("unknown topic", $"topic '{topic}' matches no subscription");
            return;
        }

        var payload = message->PayloadLength > 0 ? new ReadOnlySpan<byte>((void*)message->Payload, message->PayloadLength) : [];
        var arrival = _time.GetUtcNow();
        _decoded.Clear();
        var problem = subscription.Decoder is Decoding.ITopicPayloadDecoder withTopic
            ? withTopic.Decode(topic, payload, arrival, _decoded)
            : subscription.Decoder.Decode(payload, arrival, _decoded);
        if (problem is not null)
        {
            Status.CountDecodeError($"topic '{topic}': {problem}");
            _badInput.Report(subscription.Topic, $"topic '{topic}': {problem}");
        }

        foreach (var sample in _decoded)
        {
            Hand(sample);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "MQTT source {Source}: connected to {Host}:{Port}, subscribed to {Subscriptions} filter(s) (reconnect: {Reconnect})")]
    private static partial void LogConnected(ILogger logger, string source, string host, int port, int subscriptions, bool reconnect);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "MQTT source {Source}: connection to {Host}:{Port} lost ({Reason}); reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string source, string host, int port, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "MQTT source {Source}: broker refused the connection: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

}
