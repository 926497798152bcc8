using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing;

/// <summary>
/// A real mosquitto broker on a free 127.0.0.1 port, in a temp folder, that a test can stop and start again
/// on the same port. Messages are published with mosquitto_pub. Needs Debian's mosquitto and mosquitto-clients.
/// With <see cref="UseTls"/> it listens with TLS only and requires a client certificate signed by its test CA.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _folder = Directory.CreateTempSubdirectory("aifactory-mosquitto-").FullName;
    private Process? _process;

    private readonly bool _persistent;

    /// <param name="persistent">Sessions, subscriptions and queued messages survive a restart (saved after every change).</param>
    public MosquittoBroker(bool persistent = false)
    {
        _persistent = persistent;
        Port = FreePort.Next();
        ConfigPath = Path.Combine(_folder, "mosquitto.conf");
        WriteConfig(string.Empty);
    }

    public int Port { get; }

    public string ConfigPath { get; }

    /// <summary>The test PKI after <see cref="UseTls"/>; null while the broker is plain TCP.</summary>
    public TestCertificates? Tls { get; private set; }

    /// <summary>From the next <see cref="Start"/> on: TLS only, with a client certificate required (made with openssl in the temp folder).</summary>
    public TestCertificates UseTls()
    {
        Tls = TestCertificates.Create(_folder);
        WriteConfig($"cafile {Tls.CaFile}\ncertfile {Tls.ServerCertFile}\nkeyfile {Tls.ServerKeyFile}\nrequire_certificate true\n");
        return Tls;
    }

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
        using var pub = Process.Start(Client("/usr/bin/mosquitto_pub", qos, "-t", topic, "-m", payload))!;
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
        var start = Client("/usr/bin/mosquitto_pub", qos, "-t", topic, "-l");
        start.RedirectStandardInput = true;
        using var pub = Process.Start(start)!;
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

    /// <summary>A mosquitto client's start: this broker's address, the QoS, TLS with the test client certificate when on, then <paramref name="rest"/>.</summary>
    private ProcessStartInfo Client(string program, int qos, params string[] rest)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var a in (string[])["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(a);
        }

        if (Tls is { } tls)
        {
            foreach (var a in (string[])["--cafile", tls.CaFile, "--cert", tls.ClientCertFile, "--key", tls.ClientKeyFile])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in rest)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    private void WriteConfig(string extra)
    {
        var user = Environment.UserName == "root" ? "user root\n" : string.Empty;
        var persistence = _persistent ? $"persistence true\npersistence_location {_folder}/\nautosave_on_changes true\nautosave_interval 1\n" : "persistence false\n";
        File.WriteAllText(ConfigPath, $"listener {Port} 127.0.0.1\nallow_anonymous true\n{persistence}{user}{extra}");
    }

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
