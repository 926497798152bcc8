using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace AiFactory.Testing;

/// <summary>A mosquitto_sub process collecting every payload published on a topic filter, one per line.</summary>
public sealed class MqttCollector : IDisposable
{
    private readonly ConcurrentQueue<string> _payloads = new();
    private Process? _process;

    internal MqttCollector(int port, string topic)
    {
        _process = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_sub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", topic },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _payloads.Enqueue(line);
            }
        };
        _process.BeginOutputReadLine();
    }

    public IReadOnlyCollection<string> Payloads => _payloads;

    public void Dispose() => ChildProcess.Stop(ref _process);
}
