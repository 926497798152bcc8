using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>Debian's mosquitto on a free 127.0.0.1 port in a temp folder, for the end-to-end benchmark.</summary>
internal sealed class BenchBroker : IDisposable
{
    private readonly Process _process;

    public BenchBroker(string folder)
    {
        Port = AiFactory.Testing.FreePort.Next();

        var config = Path.Combine(folder, "mosquitto.conf");
        var user = Environment.UserName == "root" ? "user root\n" : string.Empty;
        // QoS 0 throughout; lift the per-client queue limits so the broker, not its defaults, is what is measured.
        // set_tcp_nodelay: the broker writes each message at once. mosquitto's default keeps Nagle's algorithm on,
        // which holds a small message back while an earlier one waits for a (delayed, up to ~40 ms) acknowledgement:
        // the recommended setting for a broker that carries line data and verdicts (docs/benchmarks.md).
        File.WriteAllText(config, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nset_tcp_nodelay true\n{user}");
        _process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto") { ArgumentList = { "-c", config }, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (!Listening())
        {
            if (_process.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"mosquitto did not listen on 127.0.0.1:{Port}");
            }

            Thread.Sleep(20);
        }
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
