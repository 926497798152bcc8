using AiFactory.Edge.Sources.Mqtt.Native;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>What a <see cref="MosquittoSession"/> reports from libmosquitto's network thread; keep each call cheap.</summary>
internal unsafe interface IMosquittoListener
{
    void Connected(IntPtr mosq, int code);

    void Disconnected(int code);

    void Received(MosquittoMessage* message);

    /// <summary>A message this client published has left (QoS 0) or been acknowledged (QoS 1).</summary>
    void Sent(int mid)
    {
    }
}
