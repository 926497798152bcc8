using AiFactory.Edge.Sources.Mqtt;

namespace AiFactory.Edge.Config;

/// <summary>Where verdicts are published: the broker connection, the per-station topic pattern and the QoS.</summary>
public sealed record MqttOutputDefinition(MqttSourceOptions Broker, string Topic, int Qos);
