using AiFactory.Edge.Sources.Decoding;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>A topic filter (MQTT wildcards + and # allowed), its QoS (0, 1 or 2), and how its payloads become tag samples.</summary>
public sealed record MqttSubscription(string Topic, int Qos, IPayloadDecoder Decoder);
