using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing;

/// <summary>peers/modbus_server.py (Debian's python3-pymodbus) on a free 127.0.0.1 port; can be stopped and started again.</summary>
public sealed class PymodbusServer : IDisposable
{
    /// <summary>modbus_server.py's exit code when its port is taken (EADDRINUSE).</summary>
    private const int AddressInUse = 98;

    private Process? _process;
    private bool _started;

    public PymodbusServer()
    {
        Port = FreePort.Next();
    }

    /// <summary>The port; drawn again by the first <see cref="Start"/> when something else took it first.</summary>
    public int Port { get; private set; }

    /// <summary>How long the server may take to listen before the test fails naming it.</summary>
    public static TimeSpan StartWithin { get; } = TimeSpan.FromSeconds(60);

    public static string? Missing => File.Exists("/usr/lib/python3/dist-packages/pymodbus/__init__.py")
        ? null
        : "python3-pymodbus is not installed (the test command installs it: bash deploy/test.sh)";

    /// <summary>
    /// Starts the server and waits until it listens. The first start draws another port when the one drawn is taken
    /// by then (up to 5 times); a restart keeps its port, as a PLC does.
    /// </summary>
    public void Start()
    {
        var taken = new List<string>();
        while (true)
        {
            var exit = StartOnce();
            if (exit is null)
            {
                _started = true;
                return;
            }

            if (exit.Value.Code != AddressInUse || _started || taken.Count >= 4)
            {
                var before = taken.Count == 0 ? "" : $" (ports taken before it: {string.Join("; ", taken)})";
                throw new InvalidOperationException($"the pymodbus server on 127.0.0.1:{Port} exited with {exit.Value.Code}{before}; its stderr: {exit.Value.Errors}");
            }

            taken.Add($"{Port} by {Holder(Port)}");
            Port = FreePort.Next();
        }
    }

    /// <summary>null once it listens; its exit code and stderr when it exited first.</summary>
    private (int Code, string Errors)? StartOnce()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "AiFactory.Testing", "peers", "modbus_server.py");
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && errors.Count < 50)
            {
                errors.Enqueue(line);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        // Starting and importing pymodbus takes about 0.2 s, also with both cores busy. CI runs saw it not listen for
        // 60 s (twice) and 180 s (once), refusing connections, with nothing on stderr: what pymodbus's own start does on
        // a taken port (a socket bound there refuses connections), so the script now exits 98 for it, and a stall
        // names the process's state and the port's sockets.
        var deadline = DateTime.UtcNow + StartWithin;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return null;
            }
            catch (SocketException ex)
            {
                if (_process.HasExited)
                {
                    _process.WaitForExit(); // the end of its stderr
                    var exit = (_process.ExitCode, string.Join(" | ", errors));
                    ChildProcess.Stop(ref _process);
                    return exit;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new InvalidOperationException($"the pymodbus server on 127.0.0.1:{Port} still not listening after {StartWithin.TotalSeconds:F0} s (process {ProcessState(_process.Id)}; sockets on the port: {Holder(Port)}); its stderr: {string.Join(" | ", errors)}", ex);
                }

                Thread.Sleep(50);
            }
        }
    }

    /// <summary>The TCP sockets on the port in any state (a bound socket that never listens refuses connections), as ss(8) names them.</summary>
    private static string Holder(int port)
    {
        try
        {
            using var ss = Process.Start(new ProcessStartInfo("ss") { ArgumentList = { "-Htanp", $"sport = :{port}" }, RedirectStandardOutput = true })!;
            var text = ss.StandardOutput.ReadToEnd().Trim().ReplaceLineEndings(" / ");
            ss.WaitForExit();
            return text.Length == 0 ? "none ss could see" : text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(ss is not installed)";
        }
    }

    /// <summary>The process's scheduler state and what it waits in, from /proc, for the failure message.</summary>
    private static string ProcessState(int pid)
    {
        try
        {
            var state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal))?[6..].Trim();
            var wchan = File.ReadAllText($"/proc/{pid}/wchan").Trim();
            return $"{pid} {state}, waiting in {(wchan is "" or "0" ? "-" : wchan)}";
        }
        catch (IOException ex)
        {
            return $"{pid}: {ex.Message}";
        }
    }

    public void Stop()
    {
        ChildProcess.Stop(ref _process);
    }

    public void Dispose() => Stop();
}
