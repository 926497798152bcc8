namespace AiFactory.Edge.Sources.Serial;

/// <summary>An RS-232/RS-485 ASCII instrument: the port's settings, the line framing, and how a line maps to tags.</summary>
public sealed class SerialPortOptions
{
    public string Name { get; init; } = "serial";

    public string Device { get; init; } = "/dev/ttyUSB0";

    public int Baud { get; init; } = 9600;

    public int DataBits { get; init; } = 8;

    /// <summary>'N', 'E' or 'O'.</summary>
    public char Parity { get; init; } = 'N';

    public int StopBits { get; init; } = 1;

    /// <summary>The end of a line; "\r\n" and "\n" both work with "\n" (a trailing '\r' is trimmed).</summary>
    public string Terminator { get; init; } = "\n";

    /// <summary>Longer lines are garbage: counted and discarded up to the next terminator.</summary>
    public int MaxLineLength { get; init; } = 1024;

    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReopenDelay { get; init; } = TimeSpan.FromSeconds(1);

    public required ILineParser Parser { get; init; }

    /// <summary>Bad input of one kind is logged at most once per this interval (every one is still counted).</summary>
    public TimeSpan BadInputLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
