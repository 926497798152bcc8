using System.Buffers;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// Reads tags from an MQTT broker through MQTTnet. The receive handler only copies the payload into a pooled buffer
/// and hands it to a bounded inbox (MQTTnet runs it one message at a time and queues the rest without bound, so it
/// must return at once). This source's loop decodes each message (by the first subscription whose filter matches its
/// topic) and writes its samples into the line, waiting for room in order; only then is a QoS 1/2 message
/// acknowledged, so one whose samples never reached the line is redelivered by the broker. QoS 0 messages beyond
/// the inbox's capacity are counted as dropped; QoS 1/2 messages are bounded by the broker's in-flight window
/// (<see cref="MqttSourceOptions.InFlight"/>). Malformed payloads, unknown topics and drops are counted and logged
/// (rate-limited) without stopping; the source resubscribes on every connect.
/// </summary>
public sealed partial class MqttSource : ISampleSource
{
    private readonly MqttSourceOptions _options;
    private readonly ILogger _logger;
    private readonly BadInputLog _badInput;
    private readonly TimeProvider _time;
    private readonly Channel<ReceivedMessage> _inbox;
    private readonly List<TagSample> _decoded = [];
    private MqttConnection? _connection;
    private string _lastTopic = string.Empty;
    private MqttSubscription? _lastSubscription;
    private volatile bool _closing;
    private long _messages;
    private long _unknownTopics;
    private long _dropped;
    private long _unacknowledged;

    public MqttSource(MqttSourceOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _badInput = new BadInputLog(_logger, $"MQTT source '{options.Name}'", options.BadInputLogInterval, time);
        _time = time ?? TimeProvider.System;
        // Room for the QoS 0 capacity plus every QoS 1/2 message the broker may have in flight.
        _inbox = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(options.QueueCapacity + options.InFlight)
        {
            // MQTTnet calls the handler one message at a time, but a late call from a lost connection may overlap the
            // next connection's first: not declared single-writer.
            SingleReader = true,
        });
    }

    public string Name => _options.Name;

    public SourceStatus Status { get; } = new();

    /// <summary>Messages received from the broker, whatever became of them.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages whose topic matched no subscription.</summary>
    public long UnknownTopics => Interlocked.Read(ref _unknownTopics);

    /// <summary>QoS 0 messages dropped because the inbox was full or that came during the stop, and samples dropped at stop for want of room in the line.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>QoS 1/2 messages left unacknowledged because their samples never reached the line: the broker redelivers them.</summary>
    public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

    /// <summary>Connections the broker accepted so far (the first one included).</summary>
    public long Connects => _connection?.Connects ?? 0;

    public async Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        MqttConnection connection;
        try
        {
            connection = new MqttConnection(_options, Status, _logger, SubscribeAsync);
        }
        catch (InvalidDataException ex)
        {
            // A TLS file that changed since the configuration was checked: this source cannot run; the line goes on.
            Status.SetState(SourceState.Stopped, ex.Message);
            _badInput.Report("tls", ex.Message);
            return;
        }

        _connection = connection;
        connection.Client.ApplicationMessageReceivedAsync += Receive;
        var connecting = connection.RunAsync(cancellationToken);
        ReceivedMessage? current = null;
        var next = 0;
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_inbox.Reader.TryRead(out var message))
                {
                    current = message;
                    next = 0;
                    Decode(message);
                    for (; next < _decoded.Count; next++)
                    {
                        if (!writer.TryWrite(_decoded[next]))
                        {
                            await writer.WriteAsync(_decoded[next], cancellationToken).ConfigureAwait(false);
                        }

                        Status.CountSample();
                    }

                    current = null;
                    await DoneAsync(message, queued: true).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Nothing new is taken; what was read goes into the line if there is room now (and is acknowledged), the
            // rest is counted and, at QoS 1/2, left to the broker to deliver again. Then DISCONNECT.
            _closing = true;
            await connecting.ConfigureAwait(false);
            if (current is { } inHand)
            {
                await DoneAsync(inHand, WriteRest(writer, next)).ConfigureAwait(false);
            }

            while (_inbox.Reader.TryRead(out var message))
            {
                Decode(message);
                await DoneAsync(message, WriteRest(writer, 0)).ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);

            // A message the handler was still handing over while the loop above drained: never queued, not acknowledged.
            while (_inbox.Reader.TryRead(out var late))
            {
                if (late.Unacknowledged is null)
                {
                    Interlocked.Increment(ref _dropped);
                }

                await DoneAsync(late, queued: false).ConfigureAwait(false);
            }

            Status.SetState(SourceState.Stopped);
        }
    }

    /// <summary>At stop: writes the decoded samples from <paramref name="from"/> on while there is room; answers whether all went in.</summary>
    private bool WriteRest(ChannelWriter<TagSample> writer, int from)
    {
        for (var i = from; i < _decoded.Count; i++)
        {
            if (!writer.TryWrite(_decoded[i]))
            {
                var left = _decoded.Count - i;
                Interlocked.Add(ref _dropped, left);
                Status.CountDecodeError($"stopped with {left} sample(s) still waiting for room in the line; dropped");
                return false;
            }

            Status.CountSample();
        }

        return true;
    }

    /// <summary>Returns the buffer; acknowledges a QoS 1/2 message whose samples are all in the line, else leaves it to the broker.</summary>
    private async Task DoneAsync(ReceivedMessage message, bool queued)
    {
        ArrayPool<byte>.Shared.Return(message.Buffer);
        if (message.Unacknowledged is not { } received)
        {
            return;
        }

        if (!queued)
        {
            Interlocked.Increment(ref _unacknowledged);
            return;
        }

        try
        {
            await received.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection it came on is gone: the broker delivers it again (QoS 1/2 means at least once).
            Interlocked.Increment(ref _unacknowledged);
        }
    }

    /// <summary>MQTTnet's handler, one message at a time: copy, hand over, return.</summary>
    private Task Receive(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var confirmed = message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce;
        if (_closing)
        {
            // Stopping: not taken, not acknowledged; a persistent session gets it again.
            e.AutoAcknowledge = false;
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref _messages);
        var subscription = Lookup(message.Topic);
        if (subscription is null)
        {
            Interlocked.Increment(ref _unknownTopics);
            Status.CountDecodeError($"topic '{message.Topic}' matches no subscription");
            _badInput.Report("unknown topic", $"topic '{message.Topic}' matches no subscription");
            return Task.CompletedTask;
        }

        var payload = message.Payload;
        var length = (int)payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        payload.CopyTo(buffer);
        e.AutoAcknowledge = !confirmed;
        var received = new ReceivedMessage(subscription, message.Topic, buffer, length, _time.GetUtcNow(), confirmed ? e : null);

        // One writer at a time (but for a reconnect's overlap): the count only falls between the check and the write.
        if ((confirmed || _inbox.Reader.Count < _options.QueueCapacity) && _inbox.Writer.TryWrite(received))
        {
            return Task.CompletedTask;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        if (confirmed)
        {
            // More in flight than the broker may send: left unacknowledged.
            Interlocked.Increment(ref _unacknowledged);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }

        Status.CountDecodeError($"line full and inbox full ({_options.QueueCapacity}); a message on '{message.Topic}' dropped");
        _badInput.Report("overflow", $"line full and inbox full ({_options.QueueCapacity}); messages dropped");
        return Task.CompletedTask;
    }

    /// <summary>Decodes a message into <see cref="_decoded"/>; a bad payload or a decoder's failure is counted, never thrown.</summary>
    private void Decode(ReceivedMessage message)
    {
        _decoded.Clear();
        string? problem;
        try
        {
            problem = message.Subscription.Decoder is ITopicPayloadDecoder withTopic
                ? withTopic.Decode(message.Topic, message.Payload, message.Arrival, _decoded)
                : message.Subscription.Decoder.Decode(message.Payload, message.Arrival, _decoded);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Status.CountDecodeError($"decoding a message failed: {ex.Message}");
            _badInput.Report("decoder failure", $"decoding a message failed: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        if (problem is not null)
        {
            Status.CountDecodeError($"topic '{message.Topic}': {problem}");
            _badInput.Report(message.Subscription.Topic, $"topic '{message.Topic}': {problem}");
        }
    }

    /// <summary>The subscription whose filter matches; consecutive messages on one topic reuse the last lookup.</summary>
    private MqttSubscription? Lookup(string topic)
    {
        if (!string.Equals(topic, _lastTopic, StringComparison.Ordinal))
        {
            _lastSubscription = null;
            foreach (var s in _options.Subscriptions)
            {
                if (MqttTopic.Matches(s.Topic, topic))
                {
                    _lastSubscription = s;
                    break;
                }
            }

            _lastTopic = topic;
        }

        return _lastSubscription;
    }

    private async Task SubscribeAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var request = new MqttClientSubscribeOptionsBuilder();
        foreach (var s in _options.Subscriptions)
        {
            request.WithTopicFilter(s.Topic, (MqttQualityOfServiceLevel)s.Qos);
        }

        var result = await client.SubscribeAsync(request.Build(), cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new InvalidOperationException($"the broker refused the subscription to '{item.TopicFilter.Topic}': {item.ResultCode}");
            }
        }
    }
}
