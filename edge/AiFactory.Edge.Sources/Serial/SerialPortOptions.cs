using System.IO.Ports;

namespace AiFactory.Edge.Sources.Serial;

/// <summary>An RS-232/RS-485 ASCII instrument: the port's settings, the line framing, and how a line maps to tags.</summary>
public sealed class SerialPortOptions
{
    public const int DefaultBaud = 9600;

    public const int DefaultDataBits = 8;

    public const int DefaultMaxLineLength = 1024;

    public const int DefaultReadTimeoutMilliseconds = 200;

    /// <summary>The rates every serial driver and System.IO.Ports on Linux and Windows set exactly.</summary>
    public static readonly IReadOnlyList<int> StandardBauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];

    public string Name { get; init; } = "serial";

    /// <summary>A device path on Linux (/dev/ttyUSB0, /dev/serial/by-id/…), a port name on Windows (COM3).</summary>
    public string Device { get; init; } = "/dev/ttyUSB0";

    public int Baud { get; init; } = DefaultBaud;

    /// <summary>5 to 8.</summary>
    public int DataBits { get; init; } = DefaultDataBits;

    public Parity Parity { get; init; } = Parity.None;

    public StopBits StopBits { get; init; } = StopBits.One;

    public Handshake Handshake { get; init; } = Handshake.None;

    /// <summary>The end of a line; "\r\n" and "\n" both work with "\n" (a trailing '\r' is trimmed).</summary>
    public string Terminator { get; init; } = "\n";

    /// <summary>Longer lines are garbage: counted and discarded up to the next terminator.</summary>
    public int MaxLineLength { get; init; } = DefaultMaxLineLength;

    /// <summary>How long one read waits for bytes; it bounds how long stopping the source takes.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(DefaultReadTimeoutMilliseconds);

    public TimeSpan ReopenDelay { get; init; } = TimeSpan.FromSeconds(1);

    public required ILineParser Parser { get; init; }

    /// <summary>Bad input of one kind is logged at most once per this interval (every one is still counted).</summary>
    public TimeSpan BadInputLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
