using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Mqtt.Native;

/// <summary>struct mosquitto_message from mosquitto.h.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MosquittoMessage
{
    public int Mid;
    public IntPtr Topic;
    public IntPtr Payload;
    public int PayloadLength;
    public int Qos;
    public byte Retain;
}
