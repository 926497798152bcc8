using MQTTnet.Formatter;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>A connection to an MQTT broker (the source's, or the verdict publisher's) and, for a source, what it subscribes to.</summary>
public sealed class MqttSourceOptions
{
    public string Name { get; init; } = "mqtt";

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    /// <summary>The client id; a persistent session needs a stable one.</summary>
    public string ClientId { get; init; } = $"aifactory-edge-{Environment.MachineName}";

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>MQTT 3.1.1 (<see cref="MqttProtocolVersion.V311"/>) or 5 (<see cref="MqttProtocolVersion.V500"/>).</summary>
    public MqttProtocolVersion Protocol { get; init; } = MqttProtocolVersion.V311;

    /// <summary>TLS with this CA (PEM) as the only trust anchor; null: plain TCP.</summary>
    public string? CaFile { get; init; }

    /// <summary>The client certificate (PEM) for brokers that require one; with <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>False keeps a persistent session: the broker queues QoS 1/2 messages while the edge is away.</summary>
    public bool CleanSession { get; init; }

    /// <summary>MQTT 5: how long the broker keeps a persistent session after a disconnect (3.1.1 keeps it until a clean connect).</summary>
    public uint SessionExpirySeconds { get; init; } = 3600;

    public int ReconnectDelaySeconds { get; init; } = 1;

    public int ReconnectDelayMaxSeconds { get; init; } = 30;

    /// <summary>
    /// Received QoS 0 messages that may wait, in order, for the source to decode them into the line; beyond it they
    /// are counted as dropped. QoS 1/2 messages are never dropped: the broker sends at most <see cref="InFlight"/> of
    /// them before the source has acknowledged them (once their samples are in the line).
    /// </summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>QoS 1/2 messages the broker may send before they are acknowledged (MQTT 5 receive maximum).</summary>
    public ushort InFlight { get; init; } = 1024;

    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];

    /// <summary>Bad input of one kind is logged at most once per this interval (every one is still counted).</summary>
    public TimeSpan BadInputLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
