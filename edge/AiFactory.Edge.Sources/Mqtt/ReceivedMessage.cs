using MQTTnet;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// A message as the receive handler hands it over: its payload copied into a pooled buffer (MQTTnet reuses its
/// own), and, for QoS 1/2, the event whose acknowledgement waits until the samples are in the line.
/// </summary>
internal readonly record struct ReceivedMessage(
    MqttSubscription Subscription, string Topic, byte[] Buffer, int Length, DateTimeOffset Arrival, MqttApplicationMessageReceivedEventArgs? Unacknowledged)
{
    public ReadOnlySpan<byte> Payload => Buffer.AsSpan(0, Length);
}
