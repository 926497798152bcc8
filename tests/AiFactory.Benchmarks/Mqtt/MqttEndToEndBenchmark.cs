using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>
/// MQTT in → frame → model → verdict published, end to end through real processes on loopback: mosquitto,
/// the edge agent (Release, child process) with the pump-anomaly model, and this process publishing JSON samples
/// (each carrying its send time as an ISO-8601 `ts`) and subscribing to the verdicts, whose `time` is that
/// sample's timestamp. Latency = verdict arrival − sample send time, both read from this machine's clock.
/// In the same run, before any agent is started, mosquitto_sub alone receives the same sample stream published
/// unpaced (the ceiling); it is not left running beside the agent, where its share of the two cores would be
/// charged to the agent's latency.
/// </summary>
internal static class MqttEndToEndBenchmark
{
    private const int CalibrationSamples = 400;

    /// <param name="setups">Comma-separated setup names to run (all when null).</param>
    /// <param name="rates">Comma-separated offered rates to step through, 0 = unpaced (the standard steps when null).</param>
    public static async Task<Dictionary<string, object>> RunAsync(string repository, double seconds, string? setups = null, string? rates = null)
    {
        var steps = rates?.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray() ?? [1_000, 10_000, 20_000, 30_000, 40_000, 60_000, 80_000, 0];
        var folder = Directory.CreateTempSubdirectory("aifactory-mqtt-bench-").FullName;
        using var broker = new BenchBroker(folder);
        var part = new Dictionary<string, object> { ["broker"] = $"mosquitto on 127.0.0.1:{broker.Port}, QoS 0" };
        part["mosquitto_sub_ceiling"] = await CeilingAsync(broker.Port, seconds).ConfigureAwait(false);
        Console.WriteLine(string.Join("  ", ((Dictionary<string, object>)part["mosquitto_sub_ceiling"]).Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));

        // Batching on: the samples the agent's MQTT thread reads are held up to 1 ms (the run default --max-hold-us),
        // until 32 are there, then scored in one batch on that thread. Batching off: every frame runs alone, at once.
        // Packed: the verdicts of one batch leave as one JSON array message (the output's max_results_per_message),
        // instead of one message each. Packed without hold: each burst the agent reads is scored at once.
        foreach (var setup in new AgentSetup[]
                 {
                     new("batching_on", 32, 1000, 1), new("batching_off", 1, 1000, 1), new("batching_on_packed", 32, 1000, 32), new("batching_on_packed_no_hold", 32, 0, 32),
                 })
        {
            if (setups is not null && !setups.Split(',').Contains(setup.Name))
            {
                continue;
            }

            part[setup.Name] = await RunAgentAsync(repository, folder, broker.Port, broker.ProcessId, setup, steps, seconds).ConfigureAwait(false);
        }

        return part;
    }

    private static async Task<Dictionary<string, object>> RunAgentAsync(string repository, string folder, int port, int brokerPid, AgentSetup setup, double[] steps, double seconds)
    {
        using var agent = new AgentProcess(repository, folder, port, setup.MaxBatch, setup.HoldMicroseconds, setup.ResultsPerMessage);
        using var publisher = new SamplePublisher(port, $"bench-pub-{setup.Name}");
        using var verdicts = new VerdictCounter(port, $"bench-verdicts-{setup.Name}");
        var rows = new List<Dictionary<string, object>>();
        var firstVerdict = await WarmUpAsync(agent, publisher, verdicts).ConfigureAwait(false);
        Console.WriteLine($"{setup.Name}: start to first verdict {firstVerdict:0.000} s");
        foreach (var rate in steps)
        {
            var row = await StepAsync(agent, publisher, verdicts, brokerPid, rate, seconds, setup).ConfigureAwait(false);
            rows.Add(row);
            Console.WriteLine(string.Join("  ", row.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
            if (rate > 20_000 && !(bool)row["sustained"] && steps[^1] == 0)
            {
                // Above the targets' rate, stop stepping at the first rate the agent cannot keep; the unpaced row ends the part.
                rows.Add(await StepAsync(agent, publisher, verdicts, brokerPid, 0, seconds, setup).ConfigureAwait(false));
                Console.WriteLine(string.Join("  ", rows[^1].Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
                break;
            }
        }

        return new Dictionary<string, object> { ["start_to_first_verdict_s"] = Math.Round(firstVerdict, 3), ["steps"] = rows };
    }

    /// <summary>
    /// Feeds the station its calibration samples and waits for the first published verdict; answers the seconds from
    /// the agent's start to that verdict's arrival (start-up, connecting, and the 400 calibration samples as sent here).
    /// </summary>
    private static async Task<double> WarmUpAsync(AgentProcess agent, SamplePublisher publisher, VerdictCounter verdicts)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        var sent = 0L;
        // Only a verdict on a sample sent from now on counts: a previous agent, still working off the backlog of an
        // unpaced step, may publish verdicts on old samples to the same topic for a moment after it was stopped.
        verdicts.StartWindow();
        while (verdicts.InWindow == 0)
        {
            if (agent.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"the agent published no verdict within 60 s; its log: {agent.Log}\n{ReadTail(agent.Log)}");
            }

            publisher.Send(sent, 100);
            sent += 100;
            await Task.Delay(sent < CalibrationSamples * 2 ? 20 : 100).ConfigureAwait(false);
        }

        var first = TimeSpan.FromTicks(verdicts.FirstArrival - agent.StartedAt).TotalSeconds;
        await Task.Delay(500).ConfigureAwait(false);
        return first;
    }

    private static async Task<Dictionary<string, object>> StepAsync(AgentProcess agent, SamplePublisher publisher, VerdictCounter verdicts, int brokerPid, double rate, double seconds, AgentSetup setup)
    {
        await Task.Delay(300).ConfigureAwait(false);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var agentCpuBefore = ProcessCpu.Of(agent.ProcessId);
        var brokerCpuBefore = ProcessCpu.Of(brokerPid);
        var messagesBefore = verdicts.Messages;
        verdicts.StartWindow();
        var start = Stopwatch.GetTimestamp();
        var sent = publisher.SendPaced(rate, seconds, start);
        var window = Stopwatch.GetElapsedTime(start).TotalSeconds;
        // Let what is in flight arrive: up to 2 s after the last sample, or as soon as every sample is answered.
        var drainUntil = Stopwatch.GetTimestamp() + (2 * Stopwatch.Frequency);
        while (verdicts.InWindow < sent && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        var agentCpu = ProcessCpu.Of(agent.ProcessId) - agentCpuBefore;
        var brokerCpu = ProcessCpu.Of(brokerPid) - brokerCpuBefore;
        var (received, latencies, agentLatencies) = verdicts.EndWindow();
        var messages = verdicts.Messages - messagesBefore;
        var (rss, peak) = agent.Memory();
        var p50 = latencies.At(0.5) / 1000;
        var p99 = latencies.At(0.99) / 1000;
        var sustained = received >= 0.99 * sent && p99 < 100;
        return new Dictionary<string, object>
        {
            ["max_batch"] = setup.MaxBatch,
            ["max_hold_us"] = setup.HoldMicroseconds,
            ["max_results_per_message"] = setup.ResultsPerMessage,
            ["offered_per_s"] = rate > 0 ? rate : "max (unpaced)",
            ["published_per_s"] = Math.Round(sent / window),
            ["verdicts_per_s"] = Math.Round(received / window),
            ["verdict_messages_per_s"] = Math.Round(messages / window),
            ["lost"] = Math.Max(0, sent - received),
            ["latency_p50_ms"] = Math.Round(p50, 3),
            ["latency_p90_ms"] = Math.Round(latencies.At(0.90) / 1000, 3),
            ["latency_p99_ms"] = Math.Round(p99, 3),
            ["latency_max_ms"] = Math.Round(latencies.At(1.0) / 1000, 3),
            ["sustained"] = sustained,
            ["agent_batcher_p99_ms"] = Math.Round(agentLatencies.At(0.99) / 1000, 3),
            ["agent_rss_mib"] = rss,
            ["agent_peak_rss_mib"] = peak,
            // CPU each process spent per verdict (agent) and per published sample (broker, which also feeds the verdict subscriber).
            ["agent_cpu_us_per_sample"] = Math.Round(agentCpu.TotalMicroseconds / Math.Max(1, received), 1),
            ["broker_cpu_us_per_sample"] = Math.Round(brokerCpu.TotalMicroseconds / Math.Max(1, sent), 1),
            ["bench_cpu_us_per_sample"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / Math.Max(1, sent), 1),
            ["load_average_1min"] = File.ReadAllText("/proc/loadavg").Split(' ')[0],
        };
    }

    /// <summary>The ceiling: mosquitto_sub alone receiving the sample stream, published as fast as the broker takes it.</summary>
    private static async Task<Dictionary<string, object>> CeilingAsync(int port, double seconds)
    {
        using var publisher = new SamplePublisher(port, "bench-pub-ceiling");
        using var raw = new RawSubscriber(port, AgentProcess.SampleTopic);
        await Task.Delay(1000).ConfigureAwait(false);
        var before = raw.Lines;
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(seconds * Stopwatch.Frequency);
        long sent = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            publisher.Send(sent, 64);
            sent += 64;
        }

        var window = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Task.Delay(1000).ConfigureAwait(false);
        var received = raw.Lines - before;
        return new Dictionary<string, object>
        {
            ["published_per_s"] = Math.Round(sent / window),
            ["mosquitto_sub_per_s"] = Math.Round(received / window),
            ["mosquitto_sub_received_share"] = Math.Round((double)received / Math.Max(1, sent), 3),
        };
    }

    /// <summary>Publishes pump samples, each its own MQTT message, the ones sent together in one send.</summary>
    internal sealed class SamplePublisher(int port, string clientId) : IDisposable
    {
        private static readonly byte[] Topic = Encoding.UTF8.GetBytes(AgentProcess.SampleTopic);
        private readonly LoadClient _client = new(port, clientId);
        private readonly byte[] _payload = new byte[256];

        /// <summary>Samples <paramref name="first"/> .. first + count − 1, stamped with the time they are built.</summary>
        public void Send(long first, int count)
        {
            for (var n = first; n < first + count; n++)
            {
                _client.Add(Topic, _payload.AsSpan(0, Sample(n, _payload)));
            }

            _client.Flush();
        }

        /// <summary>
        /// Publishes for <paramref name="seconds"/> from <paramref name="start"/> (a Stopwatch timestamp); answers how many.
        /// Paced: every ~1 ms, the samples that have come due since the last burst (rate/1000 of them), each its own
        /// PUBLISH, in one send. Unpaced (<paramref name="rate"/> 0): bursts of 64 as fast as the broker takes them.
        /// </summary>
        public long SendPaced(double rate, double seconds, long start)
        {
            var until = start + (long)(seconds * Stopwatch.Frequency);
            long sent = 0;
            long now;
            while ((now = Stopwatch.GetTimestamp()) < until)
            {
                var due = rate > 0 ? (long)((now - start) * rate / Stopwatch.Frequency) - sent : 64;
                if (due <= 0)
                {
                    Thread.Sleep(1);
                    continue;
                }

                Send(sent, (int)Math.Min(due, 4096));
                sent += Math.Min(due, 4096);
            }

            return sent;
        }

        public void Dispose() => _client.Dispose();

        /// <summary>One pump sample: three features near a steady operating point, stamped with its send time.</summary>
        private static int Sample(long n, Span<byte> into)
        {
            var wobble = Math.Sin(n * 0.01);
            var a1 = 0.21 + (0.01 * wobble) + (0.002 * ((n * 7919) % 13) / 13.0);
            var a2 = 0.26 + (0.01 * Math.Cos(n * 0.013)) + (0.002 * ((n * 104729) % 17) / 17.0);
            var flow = 32 + (0.5 * wobble) + (0.1 * ((n * 31) % 11) / 11.0);
            if (!System.Text.Unicode.Utf8.TryWrite(into, CultureInfo.InvariantCulture, $"{{\"ts\":\"{DateTime.UtcNow:O}\",\"a1\":{a1:R},\"a2\":{a2:R},\"flow\":{flow:R}}}", out var written))
            {
                throw new InvalidOperationException("a bench sample did not fit its buffer");
            }

            return written;
        }
    }

    private sealed record AgentSetup(string Name, int MaxBatch, int HoldMicroseconds, int ResultsPerMessage);

    private static string ReadTail(string path)
    {
        if (!File.Exists(path))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(path);
        return text.Length > 4000 ? text[^4000..] : text;
    }

    /// <summary>
    /// Subscribes to the verdicts with the load client on its own thread; records each verdict's latency in the
    /// current window. A message holds one verdict (a JSON object) or several (a JSON array of them).
    /// </summary>
    private sealed class VerdictCounter : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly LoadClient _client;
        private readonly Thread _reader;
        private long _messages;
        private long _inWindow;
        private long _windowStart = long.MaxValue;
        private long _firstArrival;
        private Percentiles _latencies = new(1 << 20);
        private Percentiles _agentLatencies = new(1 << 20);

        public VerdictCounter(int port, string clientId)
        {
            _client = new LoadClient(port, clientId);
            _client.Subscribe(AgentProcess.VerdictTopic);
            _reader = new Thread(() => _client.ReadMessages(OnMessage)) { IsBackground = true, Name = "bench verdicts" };
            _reader.Start();
        }

        public long Messages => Interlocked.Read(ref _messages);

        public long InWindow => Interlocked.Read(ref _inWindow);

        /// <summary>When the first message of the current window arrived (UTC ticks; 0: none yet).</summary>
        public long FirstArrival => Interlocked.Read(ref _firstArrival);

        public void StartWindow()
        {
            lock (_gate)
            {
                _latencies = new Percentiles(1 << 20);
                _agentLatencies = new Percentiles(1 << 20);
                Interlocked.Exchange(ref _inWindow, 0);
                Interlocked.Exchange(ref _firstArrival, 0);
                _windowStart = DateTimeOffset.UtcNow.UtcTicks;
            }
        }

        public (long Received, Percentiles Latencies, Percentiles AgentLatencies) EndWindow()
        {
            lock (_gate)
            {
                _windowStart = long.MaxValue;
                return (Interlocked.Read(ref _inWindow), _latencies, _agentLatencies);
            }
        }

        public void Dispose()
        {
            _client.Dispose();
            _reader.Join(TimeSpan.FromSeconds(5));
        }

        private void OnMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
        {
            var arrival = DateTimeOffset.UtcNow.UtcTicks;
            Interlocked.Increment(ref _messages);
            var reader = new Utf8JsonReader(payload);
            var resultDepth = payload.Length > 0 && payload[0] == (byte)'[' ? 1 : 0;
            long time = 0;
            double latency = 0;
            lock (_gate)
            {
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("time"u8))
                    {
                        reader.Read();
                        time = reader.GetDateTimeOffset().UtcTicks;
                    }
                    else if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("latency_ms"u8))
                    {
                        reader.Read();
                        latency = reader.GetDouble();
                    }
                    else if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == resultDepth && time >= _windowStart)
                    {
                        // The agent's own share (the frame's batcher queue wait plus its ONNX Runtime run), and the whole trip.
                        _agentLatencies.Add(latency * 1000);
                        _latencies.Add((arrival - time) / 10.0);
                        Interlocked.Increment(ref _inWindow);
                        Interlocked.CompareExchange(ref _firstArrival, arrival, 0);
                    }
                }
            }
        }
    }
}
