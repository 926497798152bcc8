using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Serial.Native;
using AiFactory.Edge.Sources.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace AiFactory.Edge.Sources.Serial;

/// <summary>
/// Reads an ASCII instrument on a tty configured through termios (raw mode, baud, data bits, parity, stop
/// bits), frames its bytes into lines, and parses each line into tags. A partial line waits for the rest;
/// garbage and overlong lines are counted and skipped; when the device disappears the port is reopened
/// once it is back. Runs on its own thread: every call here blocks for at most the read timeout.
/// </summary>
public sealed partial class SerialLineSource(SerialPortOptions options, ILogger? logger = null) : ISampleSource
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly BadInputLog _badInput = new(logger ?? NullLogger.Instance, $"serial source '{options.Name}'", options.BadInputLogInterval);
    private long _opens;

    public string Name => options.Name;

    public SourceStatus Status { get; } = new();

    public Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Loop(writer, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Loop(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var port = Open();
                if (port is null)
                {
                    cancellationToken.WaitHandle.WaitOne(options.ReopenDelay);
                    continue;
                }

                ReadLines(port, writer, cancellationToken);
            }
        }
        finally
        {
            Status.SetState(SourceState.Stopped);
        }
    }

    private unsafe SafeFileHandle? Open()
    {
        Status.SetState(SourceState.Connecting);
        var fd = LibC.Open(options.Device, LibC.ReadWrite | LibC.NoControllingTerminal | LibC.NonBlocking);
        if (fd < 0)
        {
            Status.SetState(SourceState.Disconnected, $"serial '{Name}': cannot open '{options.Device}': {LibC.Describe(Marshal.GetLastPInvokeError())}");
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Termios termios;
        if (LibC.GetAttributes(fd, &termios) != 0)
        {
            Status.SetState(SourceState.Disconnected, $"serial '{Name}': '{options.Device}' is not a terminal: {LibC.Describe(Marshal.GetLastPInvokeError())}");
            handle.Dispose();
            return null;
        }

        LibC.MakeRaw(&termios);
        var speed = Termios.Speed(options.Baud);
        LibC.SetInputSpeed(&termios, speed);
        LibC.SetOutputSpeed(&termios, speed);
        termios.ControlFlags &= ~(Termios.CharacterSize | Termios.TwoStopBits | Termios.ParityEnable | Termios.ParityOdd);
        termios.ControlFlags |= (options.DataBits == 7 ? Termios.Cs7 : Termios.Cs8) | Termios.EnableReceiver | Termios.IgnoreModemLines;
        termios.ControlFlags |= options.StopBits == 2 ? Termios.TwoStopBits : 0;
        termios.ControlFlags |= options.Parity switch { 'E' => Termios.ParityEnable, 'O' => Termios.ParityEnable | Termios.ParityOdd, _ => 0u };
        if (LibC.SetAttributes(fd, 0, &termios) != 0)
        {
            Status.SetState(SourceState.Disconnected, $"serial '{Name}': configuring '{options.Device}': {LibC.Describe(Marshal.GetLastPInvokeError())}");
            handle.Dispose();
            return null;
        }

        if (Interlocked.Increment(ref _opens) > 1)
        {
            Status.CountReconnect();
        }

        Status.SetState(SourceState.Connected);
        LogOpened(_logger, Name, options.Device, options.Baud);
        return handle;
    }

    private unsafe void ReadLines(SafeFileHandle port, ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var fd = (int)port.DangerousGetHandle();
        var buffer = new byte[4096];
        var line = new StringBuilder();
        var discarding = false;
        var terminator = options.Terminator;
        var samples = new List<TagSample>();
        var timeout = (int)options.ReadTimeout.TotalMilliseconds;
        while (!cancellationToken.IsCancellationRequested)
        {
            var poll = new LibC.PollFd { Fd = fd, Events = LibC.PollIn };
            var ready = LibC.Poll(&poll, 1, timeout);
            if (ready < 0 && Marshal.GetLastPInvokeError() == LibC.Interrupted)
            {
                continue;
            }

            if (ready == 0)
            {
                continue;
            }

            nint read;
            fixed (byte* b = buffer)
            {
                read = ready > 0 && (poll.ReturnedEvents & LibC.PollIn) != 0 ? LibC.Read(fd, b, (nuint)buffer.Length) : -1;
            }

            if (read <= 0)
            {
                var errno = read < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (read < 0 && errno == LibC.WouldBlock)
                {
                    continue;
                }

                // Hang-up, EOF or an I/O error: the device went away. Reopen it when it returns.
                var why = (poll.ReturnedEvents & LibC.PollHangUp) != 0 ? "hung up" : read == 0 ? "end of file" : LibC.Describe(errno);
                Status.SetState(SourceState.Disconnected, $"serial '{Name}': '{options.Device}' {why}");
                LogLost(_logger, Name, options.Device, why);
                return;
            }

            foreach (var ch in Encoding.ASCII.GetString(buffer, 0, (int)read))
            {
                line.Append(ch);
                if (!EndsWith(line, terminator))
                {
                    if (line.Length > options.MaxLineLength && !discarding)
                    {
                        discarding = true;
                        Status.CountDecodeError($"serial '{Name}': line longer than {options.MaxLineLength} characters discarded");
                        _badInput.Report("overlong", $"line longer than {options.MaxLineLength} characters discarded");
                    }

                    if (discarding)
                    {
                        line.Clear();
                    }

                    continue;
                }

                var text = line.ToString(0, line.Length - terminator.Length).TrimEnd('\r');
                line.Clear();
                if (discarding)
                {
                    discarding = false;
                    continue;
                }

                Dispatch(text, samples, writer, cancellationToken);
            }
        }
    }

    private void Dispatch(string text, List<TagSample> samples, ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            return;
        }

        samples.Clear();
        if (options.Parser.Parse(text, DateTimeOffset.UtcNow, samples) is { } problem)
        {
            Status.CountDecodeError($"serial '{Name}': {problem}");
            _badInput.Report("line", problem);
        }

        foreach (var sample in samples)
        {
            if (!writer.TryWrite(sample))
            {
                writer.WriteAsync(sample, cancellationToken).AsTask().GetAwaiter().GetResult();
            }

            Status.CountSample();
        }
    }

    private static bool EndsWith(StringBuilder text, string suffix)
    {
        if (text.Length < suffix.Length)
        {
            return false;
        }

        for (var i = 0; i < suffix.Length; i++)
        {
            if (text[text.Length - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Serial source {Source}: opened {Device} at {Baud} baud")]
    private static partial void LogOpened(ILogger logger, string source, string device, int baud);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Serial source {Source}: {Device} {Reason}; reopening when it returns")]
    private static partial void LogLost(ILogger logger, string source, string device, string reason);
}
