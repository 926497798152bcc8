using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Serial.Native;

/// <summary>The POSIX calls the sources need (glibc), errno captured: a serial port's, and the MQTT network loop's poll and wake-up.</summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int ReadWrite = 0x2;
    public const int NoControllingTerminal = 0x100;
    public const int NonBlocking = 0x800;
    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const int EventFdNonBlocking = 0x800;
    public const int EventFdCloseOnExec = 0x80000;
    public const short PollError = 0x8;
    public const short PollHangUp = 0x10;
    public const int Interrupted = 4;
    public const int WouldBlock = 11;

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>poll with a timeout in nanoseconds (<paramref name="timeout"/> null: no timeout); no signal mask.</summary>
    [LibraryImport(Library, EntryPoint = "ppoll", SetLastError = true)]
    public static partial int PollPrecise(PollFd* fds, nuint count, TimeSpec* timeout, IntPtr signalMask);

    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int GetAttributes(int fd, Termios* termios);

    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int SetAttributes(int fd, int when, Termios* termios);

    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    public static partial void MakeRaw(Termios* termios);

    [LibraryImport(Library, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int SetInputSpeed(Termios* termios, uint speed);

    [LibraryImport(Library, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int SetOutputSpeed(Termios* termios, uint speed);

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
