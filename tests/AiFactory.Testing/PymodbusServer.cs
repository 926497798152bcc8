using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing;

/// <summary>peers/modbus_server.py (Debian's python3-pymodbus) on a free 127.0.0.1 port; can be stopped and started again.</summary>
public sealed class PymodbusServer : IDisposable
{
    private Process? _process;

    public PymodbusServer()
    {
        Port = FreePort.Next();
    }

    public int Port { get; }

    /// <summary>How long the server may take to listen before the test fails naming it.</summary>
    public static TimeSpan StartWithin { get; } = TimeSpan.FromSeconds(180);

    public static string? Missing => File.Exists("/usr/lib/python3/dist-packages/pymodbus/__init__.py")
        ? null
        : "python3-pymodbus is not installed (the test command installs it: bash deploy/test.sh)";

    public void Start()
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
        // Python starting and importing pymodbus took over 20 s once, and over 60 s twice, while the whole test run held
        // both cores (the hub's tests start in parallel with the edge's).
        var deadline = DateTime.UtcNow + StartWithin;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException ex)
            {
                if (_process.HasExited || DateTime.UtcNow >= deadline)
                {
                    var state = _process.HasExited ? $"exited with {_process.ExitCode}" : $"still not listening after {StartWithin.TotalSeconds:F0} s";
                    throw new InvalidOperationException($"the pymodbus server on 127.0.0.1:{Port} {state}; its stderr: {string.Join(" | ", errors)}", ex);
                }

                Thread.Sleep(50);
            }
        }
    }

    public void Stop()
    {
        ChildProcess.Stop(ref _process);
    }

    public void Dispose() => Stop();
}
