using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>
/// A native array of OrtValue pointers that ONNX Runtime fills in Run (the outputs). The values stay
/// alive until the next Run or disposal, so callers read output tensors in place without copying.
/// </summary>
internal sealed unsafe class OrtValueArray : SafeHandle
{
    private readonly OrtApi _api;

    public OrtValueArray(OrtApi api, int count)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _api = api;
        Count = count;
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)Math.Max(1, count), (nuint)sizeof(IntPtr)));
    }

    public int Count { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr* Values => (IntPtr*)handle;

    /// <summary>Releases the values of the previous Run and clears the slots (Run requires null slots to allocate).</summary>
    public void ReleaseValues()
    {
        var values = (IntPtr*)handle;
        for (var i = 0; i < Count; i++)
        {
            if (values[i] != IntPtr.Zero)
            {
                _api.ReleaseValue(values[i]);
                values[i] = IntPtr.Zero;
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        ReleaseValues();
        NativeMemory.Free((void*)handle);
        return true;
    }
}
