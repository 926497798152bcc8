namespace AiFactory.Edge.Sources.Mqtt;

public sealed class MqttSourceOptions
{
    public string Name { get; init; } = "mqtt";

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    /// <summary>The client id; a persistent session needs a stable one.</summary>
    public string ClientId { get; init; } = $"aifactory-edge-{Environment.MachineName}";

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? CaFile { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>False keeps a persistent session: the broker queues QoS 1 messages while the edge is away.</summary>
    public bool CleanSession { get; init; }

    public int ReconnectDelaySeconds { get; init; } = 1;

    public int ReconnectDelayMaxSeconds { get; init; } = 30;

    /// <summary>Decoded samples that may wait, in order, while the line's channel is full; beyond it, samples are counted as dropped.</summary>
    public int QueueCapacity { get; init; } = 65_536;

    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];

    /// <summary>Bad input of one kind is logged at most once per this interval (every one is still counted).</summary>
    public TimeSpan BadInputLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
