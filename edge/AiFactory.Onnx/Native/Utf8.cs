using System.Text;

namespace AiFactory.Onnx.Native;

internal static class Utf8
{
    /// <summary>Encodes with a terminating NUL, as ORT's C strings expect.</summary>
    public static byte[] Encode(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>Same as <see cref="Encode"/>, in memory the GC never moves (for pointers cached across calls).</summary>
    public static byte[] EncodePinned(string text)
    {
        var bytes = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(text) + 1, pinned: true);
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
