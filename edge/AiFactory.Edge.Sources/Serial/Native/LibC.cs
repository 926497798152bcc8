using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Serial.Native;

/// <summary>The POSIX calls the libmosquitto network loop needs (glibc), errno captured: poll and an eventfd wake-up. The serial source uses System.IO.Ports.</summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const int EventFdNonBlocking = 0x800;
    public const int EventFdCloseOnExec = 0x80000;
    public const short PollError = 0x8;
    public const short PollHangUp = 0x10;
    public const int Interrupted = 4;

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    /// <summary>poll with a timeout in nanoseconds (<paramref name="timeout"/> null: no timeout); no signal mask.</summary>
    [LibraryImport(Library, EntryPoint = "ppoll", SetLastError = true)]
    public static partial int PollPrecise(PollFd* fds, nuint count, TimeSpec* timeout, IntPtr signalMask);

    [LibraryImport(Library, EntryPoint = "strerror")]
    public static partial IntPtr StrError(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"errno {error}";

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }
}
