using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>
/// `run` as a systemd service (Type=notify) and from a terminal: the agent runs as its own process; a datagram socket
/// stands in for systemd's notify socket, and a copy of /bin/sh named <c>systemd</c> for its parent, which is how
/// Microsoft.Extensions.Hosting.Systemd tells that systemd started it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ServiceHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-notify-").FullName;
    private readonly Socket _notify = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public ServiceHostTests() => _notify.Bind(new UnixDomainSocketEndPoint(NotifyPath));

    private string NotifyPath => Path.Combine(_dir, "notify");

    public void Dispose()
    {
        _notify.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Run_StartedBySystemd_SaysReadyThenStoppingOnSigterm_AndStopsTheLineInOrder()
    {
        var output = new StringBuilder();
        using var agent = Start(asService: true, output, "--speed", "20");

        Assert.Equal("READY=1", await NextNotification());
        using (var kill = Process.Start("kill", ["-TERM", File.ReadAllText(Path.Combine(_dir, "pid")).Trim()]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal("STOPPING=1", await NextNotification());
        await agent.WaitForExitAsync().WaitAsync(Eventually.Patience);
        Assert.Equal(0, agent.ExitCode);
        lock (output)
        {
            Assert.Contains("--- summary after ", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_FromATerminal_NeverTalksToSystemd_AndEndsAsBefore()
    {
        var output = new StringBuilder();
        using var agent = Start(asService: false, output, "--speed", "20", "--duration", "2");

        await agent.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(0, agent.ExitCode);
        lock (output)
        {
            Assert.Contains("--- summary after ", output.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, _notify.Available);
    }

    /// <summary>Starts the agent; everything it prints goes into <paramref name="output"/> (lock it to read).</summary>
    private Process Start(bool asService, StringBuilder output, params string[] arguments)
    {
        // As a service: the agent is the child of a shell named systemd, which writes the agent's process id and
        // passes its exit code on. From a terminal: the shell becomes the agent (exec).
        var shell = "/bin/sh";
        if (asService)
        {
            shell = Path.Combine(_dir, "systemd");
            File.Copy("/bin/sh", shell);
        }

        var info = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(asService ? $"dotnet \"$@\" & echo $! > '{Path.Combine(_dir, "pid")}'; wait $!" : "exec dotnet \"$@\"");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aifactory-edge.dll"));
        info.ArgumentList.Add("run");
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NOTIFY_SOCKET"] = NotifyPath;
        var process = Process.Start(info)!;
        void Keep(object sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Keep;
        process.ErrorDataReceived += Keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<string> NextNotification()
    {
        var buffer = new byte[256];
        using var patience = new CancellationTokenSource(Eventually.Patience);
        var n = await _notify.ReceiveAsync(buffer, SocketFlags.None, patience.Token);
        return Encoding.ASCII.GetString(buffer, 0, n).Trim();
    }
}
