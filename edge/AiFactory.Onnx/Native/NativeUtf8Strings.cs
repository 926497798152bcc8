using System.Runtime.InteropServices;
using System.Text;

namespace AiFactory.Onnx.Native;

/// <summary>A native array of NUL-terminated UTF-8 strings (tensor names handed to OrtApi::Run on every call).</summary>
internal sealed unsafe class NativeUtf8Strings : SafeHandle
{
    private readonly int _count;

    public NativeUtf8Strings(IReadOnlyList<string> values)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _count = values.Count;
        var array = (IntPtr*)NativeMemory.AllocZeroed((nuint)Math.Max(1, _count), (nuint)sizeof(IntPtr));
        SetHandle((IntPtr)array);
        for (var i = 0; i < _count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(values[i]);
            var text = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            bytes.AsSpan().CopyTo(new Span<byte>(text, bytes.Length));
            text[bytes.Length] = 0;
            array[i] = (IntPtr)text;
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr* Pointers => (IntPtr*)handle;

    protected override bool ReleaseHandle()
    {
        var array = (IntPtr*)handle;
        for (var i = 0; i < _count; i++)
        {
            NativeMemory.Free((void*)array[i]);
        }

        NativeMemory.Free(array);
        return true;
    }
}
