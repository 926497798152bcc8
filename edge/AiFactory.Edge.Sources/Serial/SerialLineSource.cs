using System.IO.Ports;
using System.Text;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Sources.Serial;

/// <summary>
/// Reads an ASCII instrument through System.IO.Ports (baud, data bits, parity, stop bits, handshake), frames
/// its bytes into lines, and parses each line into tags. A partial line waits for the rest; garbage and
/// overlong lines are counted and skipped; when the device disappears the port is reopened once it is back.
/// Runs on its own thread: every call here blocks for at most the read timeout.
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
                var port = Open();
                if (port is null)
                {
                    cancellationToken.WaitHandle.WaitOne(options.ReopenDelay);
                    continue;
                }

                try
                {
                    ReadLines(port.BaseStream, writer, cancellationToken);
                }
                finally
                {
                    Close(port);
                }
            }
        }
        finally
        {
            Status.SetState(SourceState.Stopped);
        }
    }

    private SerialPort? Open()
    {
        Status.SetState(SourceState.Connecting);
        if (!OperatingSystem.IsWindows() && !File.Exists(options.Device))
        {
            // System.IO.Ports reports a missing device on Linux as "access denied" with an untranslated error code.
            Status.SetState(SourceState.Disconnected, $"serial '{Name}': cannot open '{options.Device}': No such file or directory");
            return null;
        }

        var port = new SerialPort(options.Device, options.Baud, options.Parity, options.DataBits, options.StopBits)
        {
            Handshake = options.Handshake,
            ReadTimeout = (int)options.ReadTimeout.TotalMilliseconds,
        };
        try
        {
            port.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            Status.SetState(SourceState.Disconnected, $"serial '{Name}': cannot open '{options.Device}': {SerialPortErrors.Describe(ex)}");
            return null;
        }

        if (Interlocked.Increment(ref _opens) > 1)
        {
            Status.CountReconnect();
        }

        Status.SetState(SourceState.Connected);
        LogOpened(_logger, Name, options.Device, options.Baud);
        return port;
    }

    private void ReadLines(Stream port, ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var line = new StringBuilder();
        var discarding = false;
        var terminator = options.Terminator;
        var samples = new List<TagSample>();
        while (!cancellationToken.IsCancellationRequested)
        {
            int read;
            try
            {
                read = port.Read(buffer, 0, buffer.Length);
            }
            catch (TimeoutException)
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                // The device went away (unplugged, hung up, I/O error): reopen it when it returns.
                Lost($"lost: {SerialPortErrors.Describe(ex)}");
                return;
            }

            if (read == 0)
            {
                Lost("lost: end of file");
                return;
            }

            foreach (var ch in Encoding.ASCII.GetString(buffer, 0, read))
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

    private void Lost(string why)
    {
        // Logged first: whoever sees the source disconnected (a status page, a test) finds the reason in the log too.
        LogLost(_logger, Name, options.Device, why);
        Status.SetState(SourceState.Disconnected, $"serial '{Name}': '{options.Device}' {why}");
    }

    private static void Close(SerialPort port)
    {
        try
        {
            port.Dispose();
        }
        catch (IOException)
        {
            // A port whose device is gone may fail to restore its settings on close; the handle is released regardless.
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
