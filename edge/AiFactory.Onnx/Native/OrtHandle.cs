using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>Owns one ONNX Runtime object and releases it with the matching OrtApi Release function.</summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged[Cdecl]<nint, void> _release;

    public OrtHandle(nint handle, delegate* unmanaged[Cdecl]<nint, void> release)
        : base(0, ownsHandle: true)
    {
        _release = release;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw pointer, for passing to ORT while the caller keeps this handle alive.</summary>
    public nint Pointer => handle;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}
