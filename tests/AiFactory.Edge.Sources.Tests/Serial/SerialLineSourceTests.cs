using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Serial;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Serial;

/// <summary>The serial source on a real pty pair (socat): termios set-up, framing, garbage, unplug and replug.</summary>
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
        var source = Source(maxLine: 64);
        var running = source.RunAsync(Writer, Stopping);
        await WaitFor(() => source.Status.State == SourceState.Connected);
        _pty.Send("T=1 H=2\n");
        await Next();
        await Next();

        _pty.Stop();
        await WaitFor(() => source.Status.State != SourceState.Connected);
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

    private SerialLineSource Source(int maxLine) => new(new SerialPortOptions
    {
        Name = "bath",
        Device = _pty.DevicePath,
        Baud = 19200,
        Parity = 'E',
        MaxLineLength = maxLine,
        ReadTimeout = TimeSpan.FromMilliseconds(50),
        ReopenDelay = TimeSpan.FromMilliseconds(100),
        Parser = new RegexLineParser(@"^T=(?<T>-?[\d.]+) H=(?<H>-?[\d.]+)$", "bath/"),
    });

    private async Task<(string, double)> Next()
    {
        var s = await NextSample();
        return (s.Tag, s.Value);
    }


}
