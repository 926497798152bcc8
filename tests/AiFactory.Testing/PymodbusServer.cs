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

    public static string? Missing => File.Exists("/usr/lib/python3/dist-packages/pymodbus/__init__.py")
        ? null
        : "python3-pymodbus is not installed (the test command installs it: bash deploy/test.sh)";

    public void Start()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "AiFactory.Testing", "peers", "modbus_server.py");
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RedirectStandardError = true, RedirectStandardOutput = true })!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
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
