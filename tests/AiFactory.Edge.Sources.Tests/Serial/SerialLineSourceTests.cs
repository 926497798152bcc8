using System.IO.Ports;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Serial;
using AiFactory.Testing;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Sources.Tests.Serial;

/// <summary>The serial source (System.IO.Ports) on a real pty pair (socat): port settings, framing, garbage, unplug and replug.</summary>
[Trait("Category", "Integration")]
public sealed class SerialLineSourceTests : SourceHarness
{
    private readonly SocatPtyPair _pty = new();

    public override void Dispose()
    {
        base.Dispose();
        _pty.Dispose();
    }

    [SocatFact]
    public async Task Lines_GarbageAndPartials_ParseWhatIsValidAndCountTheRest()
    {
        _pty.Start();
        var source = Source(maxLine: 64);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        _pty.Send("T=21.5 H=40\r\n");
        _pty.Send("#$%garbage\n");
        _pty.Send(new string('x', 200) + "\n");
        _pty.Send("T=22");
        _pty.Send(".5 H=41\n");

        (string, double)[] expected = [("bath/T", 21.5), ("bath/H", 40.0), ("bath/T", 22.5), ("bath/H", 41.0)];
        (string, double)[] actual = [await Next(), await Next(), await Next(), await Next()];
        Assert.Equal(expected, actual);
        Assert.Equal(2, source.Status.DecodeErrors);
        await StopAsync(running);
    }

    [SocatFact]
    public async Task Device_UnpluggedAndReplugged_IsReopenedAndReadsAgain()
    {
        _pty.Start();
        var log = new ListLogger();
        var source = Source(maxLine: 64, logger: log);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);
        _pty.Send("T=1 H=2\n");
        await Next();
        await Next();

        _pty.Stop();
        await WaitFor(() => source.Status.State != SourceState.Connected);
        Assert.Contains((LogLevel.Warning, $"Serial source bath: {_pty.DevicePath} lost: the port closed under the reader (unplugged or hung up); reopening when it returns"), log.Lines);
        _pty.Start();
        await WaitFor(() => source.Status.State == SourceState.Connected && source.Status.Reconnects == 1);
        _pty.Send("T=3 H=4\n");

        Assert.Equal(("bath/T", 3.0), await Next());
        await StopAsync(running);
    }

    [SocatFact]
    public async Task Device_Missing_IsReportedByPathAndRetried()
    {
        var source = new SerialLineSource(new SerialPortOptions { Name = "bath", Device = _pty.DevicePath, ReopenDelay = TimeSpan.FromMilliseconds(100), Parser = new RegexLineParser("T=(?<T>\\S+)") });
        var running = source.RunAsync(Writer, Stopping);

        await WaitFor(() => source.Status.LastError is not null);
        Assert.Equal($"serial 'bath': cannot open '{_pty.DevicePath}': No such file or directory", source.Status.LastError);
        _pty.Start();
        await WaitFor(() => source.Status.State == SourceState.Connected);
        await StopAsync(running);
    }

    /// <summary>Why the source checks that the device exists itself: System.IO.Ports calls every failed open on Linux "access denied".</summary>
    [SocatFact]
    public void SystemIOPorts_MissingDevice_SaysOnlyThatAccessIsDenied()
    {
        using var port = new SerialPort(_pty.DevicePath);

        var error = Assert.Throws<UnauthorizedAccessException>(port.Open);

        Assert.Equal($"Access to the port '{_pty.DevicePath}' is denied.", error.Message);
    }

    [SocatFact]
    public async Task Device_NotATerminal_IsReportedByPathAndReason()
    {
        var file = Path.GetTempFileName();
        try
        {
            var source = new SerialLineSource(new SerialPortOptions { Name = "bath", Device = file, ReopenDelay = TimeSpan.FromMilliseconds(100), Parser = new RegexLineParser("T=(?<T>\\S+)") });
            var running = source.RunAsync(Writer, Stopping);

            await WaitFor(() => source.Status.LastError is not null);
            Assert.Equal($"serial 'bath': cannot open '{file}': Inappropriate ioctl for device", source.Status.LastError);
            Assert.Equal(SourceState.Disconnected, source.Status.State);
            await StopAsync(running);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SocatFact]
    public async Task Open_RtsCtsAndTwoStopBits_AreSetOnTheLine()
    {
        _pty.Start();
        var source = Source(maxLine: 64, baud: 38400, stopBits: StopBits.Two, handshake: Handshake.RequestToSend);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        var settings = _pty.LineSettings();

        Assert.Superset(new HashSet<string> { "38400", "cstopb", "crtscts", "-ixon", "-ixoff", "clocal", "cread" }, settings);
        await StopAsync(running);
    }

    [SocatFact]
    public async Task Open_XonXoffAndOneStopBit_AreSetOnTheLine()
    {
        _pty.Start();
        var source = Source(maxLine: 64, handshake: Handshake.XOnXOff);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        var settings = _pty.LineSettings();

        Assert.Superset(new HashSet<string> { "19200", "-cstopb", "-crtscts", "ixon", "ixoff" }, settings);
        await StopAsync(running);
    }

    /// <summary>
    /// What a pty cannot show: Linux's pty driver keeps 8 data bits and no parity whatever is asked (through
    /// termios before as through System.IO.Ports now), so parity and data bits are checked on a real port only.
    /// </summary>
    [SocatFact]
    public async Task Open_OnAPty_EvenParityAndSevenDataBitsAreOverriddenByTheKernel()
    {
        _pty.Start();
        var source = Source(maxLine: 64, dataBits: 7);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);

        var settings = _pty.LineSettings();

        Assert.Superset(new HashSet<string> { "-parenb", "cs8" }, settings);
        await StopAsync(running);
    }

    private SerialLineSource Source(int maxLine, int baud = 19200, int dataBits = 8, StopBits stopBits = StopBits.One, Handshake handshake = Handshake.None, ListLogger? logger = null)
    {
        var options = new SerialPortOptions
        {
            Name = "bath",
            Device = _pty.DevicePath,
            Baud = baud,
            Parity = Parity.Even,
            DataBits = dataBits,
            StopBits = stopBits,
            Handshake = handshake,
            MaxLineLength = maxLine,
            ReadTimeout = TimeSpan.FromMilliseconds(50),
            ReopenDelay = TimeSpan.FromMilliseconds(100),
            Parser = new RegexLineParser(@"^T=(?<T>-?[\d.]+) H=(?<H>-?[\d.]+)$", "bath/"),
        };
        return new SerialLineSource(options, logger);
    }

    private async Task<(string, double)> Next()
    {
        var s = await NextSample();
        return (s.Tag, s.Value);
    }
}
