using AiFactory.Edge.Sources.Mqtt.Native;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>What a <see cref="MosquittoSession"/> reports from libmosquitto's network thread; keep each call cheap.</summary>
internal unsafe interface IMosquittoListener
{
    void Connected(IntPtr mosq, int code);

    void Disconnected(int code);

    void Received(MosquittoMessage* message);

    /// <summary>
    /// The messages that were waiting have been read (<see cref="Received"/> came at least once since the last
    /// call), or the time this method last asked for has come. With <paramref name="mayAskAgain"/> it answers how soon
    /// to be called again even if no message comes (null: not needed); without (the connection is lost), it is not
    /// called again until messages come.
    /// </summary>
    TimeSpan? ReadsEnded(bool mayAskAgain) => null;

    /// <summary>A message this client published has left (QoS 0) or been acknowledged (QoS 1).</summary>
    void Sent(int mid)
    {
    }
}
