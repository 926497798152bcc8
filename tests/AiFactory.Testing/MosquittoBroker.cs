using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing;

/// <summary>
/// A real mosquitto broker on a free 127.0.0.1 port, in a temp folder, that a test can stop and start again
/// on the same port. Messages are published with mosquitto_pub. Needs Debian's mosquitto and mosquitto-clients.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _folder = Directory.CreateTempSubdirectory("aifactory-mosquitto-").FullName;
    private Process? _process;

    public MosquittoBroker()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var config = Path.Combine(_folder, "mosquitto.conf");
        var user = Environment.UserName == "root" ? "user root\n" : string.Empty;
        File.WriteAllText(config, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\n{user}");
        ConfigPath = config;
    }

    public int Port { get; }

    public string ConfigPath { get; }

    public static string? Missing =>
        File.Exists("/usr/sbin/mosquitto") && File.Exists("/usr/bin/mosquitto_pub") ? null : "mosquitto and mosquitto-clients are not installed (the test command installs them: bash deploy/test.sh)";

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto") { ArgumentList = { "-c", ConfigPath }, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        var deadline = DateTime.UtcNow + Patience;
        while (!Listening())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"mosquitto did not listen on 127.0.0.1:{Port}: {_process.StandardError.ReadToEnd()}");
            }

            Thread.Sleep(20);
        }
    }

    public void Stop()
    {
        ChildProcess.Stop(ref _process);
    }

    public void Publish(string topic, string payload, int qos = 1)
    {
        using var pub = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_pub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-m", payload },
            RedirectStandardError = true,
        })!;
        pub.WaitForExit();
        if (pub.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub to '{topic}' failed: {pub.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>
    /// Publishes one message per line through one mosquitto_pub process (-l), in order; with <paramref name="spacing"/>,
    /// each line is handed over on its own, that long after the previous one.
    /// </summary>
    public void PublishLines(string topic, IEnumerable<string> payloads, int qos = 1, TimeSpan? spacing = null)
    {
        using var pub = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_pub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-l" },
            RedirectStandardInput = true,
            RedirectStandardError = true,
        })!;
        foreach (var payload in payloads)
        {
            pub.StandardInput.WriteLine(payload);
            if (spacing is { } pause)
            {
                pub.StandardInput.Flush();
                Thread.Sleep(pause);
            }
        }

        pub.StandardInput.Close();
        pub.WaitForExit();
        if (pub.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub -l to '{topic}' failed: {pub.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>Starts mosquitto_sub on a topic filter; the returned collector holds every payload received until disposed.</summary>
    public MqttCollector Subscribe(string topic) => new(Port, topic);

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
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
