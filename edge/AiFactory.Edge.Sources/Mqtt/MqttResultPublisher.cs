using System.Runtime.InteropServices;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Mqtt.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// Publishes verdicts to the plant broker, one topic per station from a pattern such as
/// "plant/line1/{station}/verdict", so SCADA, historians and PLC gateways can subscribe. A message is written to the
/// socket on the publishing thread. QoS 1 messages published while the broker is away wait in libmosquitto's queue
/// and go out on reconnect.
/// </summary>
public sealed class MqttResultPublisher : IMosquittoListener, IDisposable
{
    private readonly MqttSourceOptions _broker;
    private readonly string _topicPattern;
    private readonly int _qos;
    private readonly MosquittoSession _session;
    private readonly Dictionary<string, string> _topics = new(StringComparer.Ordinal);
    private long _published;
    private long _failed;
    private long _sent;

    public MqttResultPublisher(MqttSourceOptions broker, string topicPattern, int qos = 1, ILogger? logger = null, TimeProvider? time = null)
    {
        if (!topicPattern.Contains("{station}", StringComparison.Ordinal))
        {
            throw new ArgumentException($"MQTT output '{broker.Name}': topic '{topicPattern}' must contain {{station}} so each station gets its own topic");
        }

        _broker = broker;
        _topicPattern = topicPattern;
        _qos = qos;
        _session = new MosquittoSession(broker, this, Status, logger ?? NullLogger.Instance, time ?? TimeProvider.System, $"MQTT output '{broker.Name}'");
    }

    public SourceStatus Status { get; } = new();

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public string TopicFor(string station)
    {
        // Called per verdict: each station's topic is built once.
        lock (_topics)
        {
            if (!_topics.TryGetValue(station, out var topic))
            {
                _topics[station] = topic = _topicPattern.Replace("{station}", station, StringComparison.Ordinal);
            }

            return topic;
        }
    }

    public Task<bool> StartAsync(CancellationToken cancellationToken) => _session.StartAsync(cancellationToken);

    /// <summary>Hands one payload to libmosquitto; false (and counted) when it refuses it.</summary>
    public bool Publish(string station, ReadOnlySpan<byte> payload)
    {
        var rc = _session.Publish(TopicFor(station), payload, _qos);

        if (rc != MosquittoNative.Success)
        {
            Interlocked.Increment(ref _failed);
            Status.CountDecodeError($"publishing to '{TopicFor(station)}': {MosquittoNative.Describe(rc)}");
            return false;
        }

        Interlocked.Increment(ref _published);
        return true;
    }

    /// <summary>Messages that have left (QoS 0) or been acknowledged by the broker (QoS 1).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Waits until every published message has left or been acknowledged, or the timeout passes; answers whether all did.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Sent < Published)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }

    public void Dispose() => _session.Dispose();

    void IMosquittoListener.Sent(int mid) => Interlocked.Increment(ref _sent);

    void IMosquittoListener.Connected(IntPtr mosq, int code)
    {
        if (code == 0)
        {
            Status.SetState(SourceState.Connected);
        }
        else
        {
            Status.SetState(SourceState.Disconnected, $"broker refused the connection: {Marshal.PtrToStringUTF8(MosquittoNative.ConnackString(code))}");
        }
    }

    void IMosquittoListener.Disconnected(int code)
    {
        if (code != 0)
        {
            Status.SetState(SourceState.Disconnected, $"connection to {_broker.Host}:{_broker.Port} lost: {MosquittoNative.Describe(code)}");
        }
    }

    unsafe void IMosquittoListener.Received(MosquittoMessage* message)
    {
        // The publisher subscribes to nothing.
    }
}
