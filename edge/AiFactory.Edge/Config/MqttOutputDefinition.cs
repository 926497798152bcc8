using AiFactory.Edge.Sources.Mqtt;

namespace AiFactory.Edge.Config;

/// <summary>
/// Where verdicts are published: the broker connection, the per-station topic pattern, the QoS, and how many of a
/// station's verdicts that are ready together may share one message (1: a JSON object per verdict; more: a JSON array).
/// </summary>
public sealed record MqttOutputDefinition(MqttSourceOptions Broker, string Topic, int Qos, int MaxResultsPerMessage = 1);
