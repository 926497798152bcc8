using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Testing;

namespace AiFactory.Benchmarks;

/// <summary>
/// MQTT in → frame → model → verdict published, with mosquitto on loopback: the edge agent runs as its own process
/// with an MQTT source (one topic per pump station, JSON with a sub-millisecond ISO timestamp) and the pump anomaly
/// model; this process publishes samples at a fixed rate and subscribes to the verdicts (mosquitto_sub, stamped on
/// arrival). Latency = verdict arrival − the sample's timestamp. Side by side: mosquitto_sub's receive rate of the
/// same input stream (the ceiling on this machine), and the agent's peak RSS.
/// </summary>
internal static class MqttEndToEndBenchmark
{
    private const int Stations = 10;
    private const int CalibrationSamples = 400;

    public static async Task<List<Dictionary<string, object>>> RunAsync(double seconds, IReadOnlyList<double> rates)
    {
        using var broker = new MosquittoBroker();
        broker.Start();
        var rows = new List<Dictionary<string, object>>();
        var dir = Directory.CreateTempSubdirectory("aifactory-mqtt-bench-").FullName;
        var config = WriteConfig(dir, broker.Port);
        foreach (var (mode, maxBatch, delayUs) in new[] { ("batching (max 32, 500 µs)", 32, 500), ("no batching (max 1)", 1, 0) })
        {
            foreach (var rate in rates)
            {
                rows.Add(await RunOnceAsync(broker.Port, config, mode, maxBatch, delayUs, rate, seconds));
            }
        }

        return rows;
    }

    private static async Task<Dictionary<string, object>> RunOnceAsync(int port, string config, string mode, int maxBatch, int delayUs, double rate, double seconds)
    {
        using var agent = StartAgent(config, maxBatch, delayUs, seconds + 30);
        using var verdicts = new StampedSubscriber(port, "bench/+/verdict");
        using var ceiling = new StampedSubscriber(port, "bench/+/in");
        using var publisher = new MqttResultPublisher(new MqttSourceOptions { Name = "bench-pub", Port = port, ClientId = $"bench-pub-{Guid.NewGuid():N}" }, "bench/{station}/in", qos: 0);
        using var stop = new CancellationTokenSource();
        var publishing = publisher.StartAsync(stop.Token);
        await Task.Delay(1500);

        // Calibration: every station's first 400 samples set its normalisation and threshold (no verdicts are published).
        Publish(publisher, Stations * CalibrationSamples, Math.Min(rate, 5000), 0);
        await Task.Delay(1500);
        verdicts.Reset();
        ceiling.Reset();
        var sent = Publish(publisher, (long)(rate * seconds), rate, Stations * CalibrationSamples);
        var sendSeconds = sent.Seconds;
        await Task.Delay(2000);
        var received = verdicts.Take();
        var raw = ceiling.Take();
        var rss = PeakRssMb(agent.Id);
        agent.Kill(entireProcessTree: true);
        await stop.CancelAsync();
        await publishing;
        var latencies = new Percentiles(received.Count + 1);
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        foreach (var (arrival, line) in received)
        {
            using var doc = JsonDocument.Parse(line);
            var time = doc.RootElement.GetProperty("time").GetDateTimeOffset();
            latencies.Add((arrival - time).TotalMicroseconds);
            first = arrival < first ? arrival : first;
            last = arrival > last ? arrival : last;
        }

        var span = Math.Max(sendSeconds, (last - first).TotalSeconds);
        return new Dictionary<string, object>
        {
            ["mode"] = mode,
            ["offered_per_s"] = rate,
            ["sent"] = sent.Count,
            ["verdicts"] = received.Count,
            ["sustained_per_s"] = Math.Round(received.Count / span),
            ["p50_ms"] = Math.Round(latencies.At(0.50) / 1000, 2),
            ["p99_ms"] = Math.Round(latencies.At(0.99) / 1000, 2),
            ["mosquitto_sub_per_s"] = Math.Round(raw.Count / Math.Max(sendSeconds, 0.001)),
            ["agent_peak_rss_mb"] = rss,
        };
    }

    /// <summary>Publishes <paramref name="count"/> samples round-robin over the stations at <paramref name="rate"/> per second.</summary>
    private static (long Count, double Seconds) Publish(MqttResultPublisher publisher, long count, double rate, long offset)
    {
        var random = new Random(7);
        var clock = Stopwatch.StartNew();
        var buffer = new StringBuilder(160);
        for (long i = 0; i < count; i++)
        {
            // Ahead of schedule: sleep (a spinning publisher would take a core from the agent on this 2-core machine).
            while (i > rate * clock.Elapsed.TotalSeconds)
            {
                Thread.Sleep(1);
            }

            var n = i + offset;
            buffer.Clear();
            buffer.Append(CultureInfo.InvariantCulture, $$"""{"ts":"{{DateTimeOffset.UtcNow:O}}","v":[{{0.027 + (random.NextDouble() * 0.001):F5}},{{0.040 + (random.NextDouble() * 0.0015):F5}}],"f":{{32 + (random.NextDouble() * 0.6):F3}}}""");
            publisher.Publish($"pump{n % Stations}", Encoding.UTF8.GetBytes(buffer.ToString()));
        }

        return (count, clock.Elapsed.TotalSeconds);
    }

    private static Process StartAgent(string config, int maxBatch, int delayUs, double duration)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "aifactory-edge.dll"), "run", "--config", config, "--no-reload",
            "--duration", duration.ToString(CultureInfo.InvariantCulture), "--max-batch", maxBatch.ToString(CultureInfo.InvariantCulture),
            "--max-queue-delay-us", delayUs.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var ready = new TaskCompletionSource();
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            output.Enqueue(e.Data ?? string.Empty);
            if (e.Data?.Contains("Ctrl+C stops.", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(60)) || process.HasExited)
        {
            throw new InvalidOperationException($"the agent did not start:\n{string.Join('\n', output)}");
        }

        return process;
    }

    private static double PeakRssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return Math.Round(double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024, 1);
            }
        }

        return double.NaN;
    }

    private static string WriteConfig(string dir, int port)
    {
        var model = Path.Combine(RepoPaths.Models, "pump-anomaly");
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"sources:\n  - name: broker\n    type: mqtt\n    port: {port}\n    client_id: bench-edge\n    subscriptions:");
        for (var s = 0; s < Stations; s++)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"      - topic: bench/pump{s}/in\n        qos: 0\n        json:\n          timestamp: ts\n          tags: {{p{s}/a1: \"v[0]\", p{s}/a2: \"v[1]\", p{s}/flow: f}}");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"outputs:\n  mqtt:\n    port: {port}\n    client_id: bench-edge-out\n    topic: bench/{{station}}/verdict\n    qos: 0\nstations:");
        for (var s = 0; s < Stations; s++)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  - name: pump{s}\n    model: {model}\n    tags: {{Accelerometer1RMS: p{s}/a1, Accelerometer2RMS: p{s}/a2, Volume Flow RateRMS: p{s}/flow}}");
        }

        var path = Path.Combine(dir, "bench.yaml");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>mosquitto_sub on a filter, each line stamped when it arrives here.</summary>
    private sealed class StampedSubscriber : IDisposable
    {
        private readonly Process _process;
        private ConcurrentQueue<(DateTimeOffset, string)> _lines = new();

        public StampedSubscriber(int port, string topic)
        {
            _process = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_sub")
            {
                ArgumentList = { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "0", "-t", topic },
                RedirectStandardOutput = true,
            })!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _lines.Enqueue((DateTimeOffset.UtcNow, line));
                }
            };
            _process.BeginOutputReadLine();
        }

        public void Reset() => _lines = new ConcurrentQueue<(DateTimeOffset, string)>();

        public List<(DateTimeOffset Arrival, string Line)> Take() => [.. _lines];

        public void Dispose()
        {
            _process.Kill();
            _process.Dispose();
        }
    }
}
