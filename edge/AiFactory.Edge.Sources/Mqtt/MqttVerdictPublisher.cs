using System.Buffers;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// Publishes verdicts to the plant broker, one topic per station from a pattern such as
/// "plant/line1/{station}/verdict", so SCADA, historians and PLC gateways can subscribe. <see cref="Publish"/> copies
/// the message into a pooled buffer and, while connected with nothing queued, hands it to MQTTnet on the caller's
/// thread (the socket write is the only cost; no thread is woken), several QoS 1/2 messages in flight at once.
/// Otherwise it queues it (bounded; beyond it, counted as failed) without waiting, and a send loop hands the queue
/// over in order once the broker is back, so verdicts published meanwhile go out on reconnect.
/// </summary>
public sealed class MqttVerdictPublisher : IAsyncDisposable
{
    /// <summary>QoS 1/2 messages sent and not yet acknowledged at most.</summary>
    private const int InFlight = 256;

    private readonly MqttSourceOptions _broker;
    private readonly string _topicPattern;
    private readonly MqttQualityOfServiceLevel _qos;
    private readonly int _capacity;
    private readonly MqttConnection _connection;
    private readonly Channel<(string Topic, byte[] Buffer, int Length)> _queue;
    private readonly SemaphoreSlim _window = new(InFlight, InFlight);
    private readonly Dictionary<string, string> _topics = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _order = new();
    private Task _running = Task.CompletedTask;
    private long _published;
    private long _failed;
    private long _sent;

    /// <exception cref="InvalidDataException">A TLS file cannot be read.</exception>
    public MqttVerdictPublisher(MqttSourceOptions broker, string topicPattern, int qos = 1, ILogger? logger = null, int capacity = 10_000)
    {
        if (!topicPattern.Contains("{station}", StringComparison.Ordinal))
        {
            throw new ArgumentException($"MQTT output '{broker.Name}': topic '{topicPattern}' must contain {{station}} so each station gets its own topic");
        }

        _broker = broker;
        _topicPattern = topicPattern;
        _qos = (MqttQualityOfServiceLevel)qos;
        _capacity = capacity;
        _queue = Channel.CreateBounded<(string, byte[], int)>(new BoundedChannelOptions(capacity) { SingleReader = true });
        _connection = new MqttConnection(broker, Status, logger ?? NullLogger.Instance);
    }

    public SourceStatus Status { get; } = new();

    /// <summary>Messages accepted into the queue.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages refused (queue full) or that the broker did not take.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Messages that have left (QoS 0) or been acknowledged by the broker (QoS 1/2).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public string TopicFor(string station)
    {
        // Called per verdict message: each station's topic is built once.
        lock (_topics)
        {
            if (!_topics.TryGetValue(station, out var topic))
            {
                _topics[station] = topic = _topicPattern.Replace("{station}", station, StringComparison.Ordinal);
            }

            return topic;
        }
    }

    /// <summary>Starts connecting and sending; answers true once connected, false if <paramref name="cancellationToken"/> is cancelled first.</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        if (_running.IsCompleted)
        {
            _running = Task.WhenAll(_connection.RunAsync(_stop.Token), SendAsync(_stop.Token));
        }

        try
        {
            await _connection.WhenUp.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Queues one message for the station's topic; false (and counted) when the queue is full.</summary>
    public bool Publish(string station, ReadOnlySpan<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.CopyTo(buffer);
        var topic = TopicFor(station);
        lock (_order)
        {
            // Queued messages go first; the send loop takes them under this lock, so the order holds.
            if (_queue.Reader.Count == 0 && _connection.Client.IsConnected && _window.Wait(0))
            {
                Interlocked.Increment(ref _published);
                Send(topic, buffer, payload.Length, CancellationToken.None);
                return true;
            }

            if (_queue.Writer.TryWrite((topic, buffer, payload.Length)))
            {
                Interlocked.Increment(ref _published);
                return true;
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Increment(ref _failed);
        Status.CountDecodeError($"publishing to '{topic}': {_capacity} messages already wait for the broker; dropped");
        return false;
    }

    /// <summary>Waits until every queued message has left or been acknowledged, or the timeout passes; answers whether all did.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Sent + Failed < Published)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Stops sending (what is still queued is not sent), disconnects and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        while (_queue.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        _stop.Dispose();
    }

    /// <summary>Hands the queue to MQTTnet in order, while connected, with at most <see cref="InFlight"/> unacknowledged.</summary>
    private async Task SendAsync(CancellationToken stop)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                // Held, not taken, while the broker is away: it goes out first once the connection is back.
                await _connection.WhenUp.WaitAsync(stop).ConfigureAwait(false);
                await _window.WaitAsync(stop).ConfigureAwait(false);
                lock (_order)
                {
                    if (_queue.Reader.TryRead(out var message))
                    {
                        Send(message.Topic, message.Buffer, message.Length, stop);
                    }
                    else
                    {
                        _window.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Under the order lock, holding a place in the window: starts the publish; its end returns the buffer and the place.</summary>
    private void Send(string topic, byte[] buffer, int length, CancellationToken stop)
    {
        var sending = _connection.Client.PublishAsync(
            new MqttApplicationMessage { Topic = topic, PayloadSegment = new ArraySegment<byte>(buffer, 0, length), QualityOfServiceLevel = _qos },
            stop);
        if (sending.IsCompleted)
        {
            Finished(sending, buffer);
        }
        else
        {
            _ = sending.ContinueWith((t, b) => Finished(t, (byte[])b!), buffer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Finished(Task<MqttClientPublishResult> sending, byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        _window.Release();
        if (sending.IsCompletedSuccessfully && sending.Result.IsSuccess)
        {
            Interlocked.Increment(ref _sent);
            return;
        }

        Interlocked.Increment(ref _failed);
        var why = sending.Exception?.InnerException?.Message ?? (sending.IsCanceled ? "stopped" : sending.Result.ReasonCode.ToString());
        Status.CountDecodeError($"publishing to {_broker.Host}:{_broker.Port}: {why}");
    }
}
