using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Mqtt.Native;

/// <summary>A libmosquitto client instance (struct mosquitto*), destroyed with mosquitto_destroy.</summary>
internal sealed class MosquittoHandle : SafeHandle
{
    public MosquittoHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public MosquittoHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        MosquittoNative.Destroy(handle);
        return true;
    }
}
