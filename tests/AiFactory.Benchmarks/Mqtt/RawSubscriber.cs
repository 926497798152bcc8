using System.Diagnostics;
using System.Globalization;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>mosquitto_sub on the sample topic, its lines counted: the raw receive rate of the same stream (the ceiling).</summary>
internal sealed class RawSubscriber : IDisposable
{
    private readonly Process _process;
    private readonly Task _reading;
    private long _lines;

    public RawSubscriber(int port, string topic)
    {
        _process = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_sub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "0", "-t", topic },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mosquitto_sub did not start");
        _reading = Task.Run(async () =>
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await _process.StandardOutput.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                Interlocked.Add(ref _lines, buffer.AsSpan(0, read).Count('\n'));
            }
        });
    }

    public long Lines => Interlocked.Read(ref _lines);

    public int ProcessId => _process.Id;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _reading.Wait(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}
