namespace AiFactory.Edge.Sources.Modbus;

/// <summary>One Modbus bus (a TCP server, or an RS-485 line for RTU) polled by one poller, never two.</summary>
public sealed class ModbusBusOptions
{
    public string Name { get; init; } = "modbus";

    /// <summary>Modbus TCP: host (with <see cref="Port"/>). Leave null for RTU.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = 502;

    /// <summary>Modbus RTU: the serial device, e.g. /dev/ttyUSB0.</summary>
    public string? Device { get; init; }

    public int Baud { get; init; } = 19200;

    /// <summary>'N', 'E' or 'O'.</summary>
    public char Parity { get; init; } = 'E';

    public int DataBits { get; init; } = 8;

    public int StopBits { get; init; } = 1;

    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Pause between two requests on the bus (RS-485 devices need the line quiet between frames).</summary>
    public TimeSpan InterRequestDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    public int Retries { get; init; } = 1;

    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<ModbusPollGroup> Groups { get; init; } = [];

    /// <summary>Bad input of one kind is logged at most once per this interval (every one is still counted).</summary>
    public TimeSpan BadInputLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
