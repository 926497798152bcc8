using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Mqtt;

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

    public static async Task<Dictionary<string, object>> RunAsync(string repository, double seconds)
    {
        var folder = Directory.CreateTempSubdirectory("aifactory-mqtt-bench-").FullName;
        using var broker = new BenchBroker(folder);
        var part = new Dictionary<string, object> { ["broker"] = $"mosquitto on 127.0.0.1:{broker.Port}, QoS 0" };
        part["mosquitto_sub_ceiling"] = await CeilingAsync(broker.Port, seconds).ConfigureAwait(false);
        Console.WriteLine(string.Join("  ", ((Dictionary<string, object>)part["mosquitto_sub_ceiling"]).Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));

        // Batching on: up to 32 frames that queued while the previous batch ran go together, with no added wait
        // (MaxQueueDelay 0): at one sample per message there is nothing to gain by holding a frame back, and the
        // runner would spin for the wait on a core the broker needs. Batching off: every frame runs alone.
        foreach (var (name, maxBatch, delay) in new[] { ("batching_on", 32, 0), ("batching_off", 1, 0) })
        {
            part[name] = await RunAgentAsync(repository, folder, broker.Port, broker.ProcessId, maxBatch, delay, seconds).ConfigureAwait(false);
        }

        return part;
    }

    private static async Task<List<Dictionary<string, object>>> RunAgentAsync(string repository, string folder, int port, int brokerPid, int maxBatch, int delay, double seconds)
    {
        using var agent = new AgentProcess(repository, folder, port, maxBatch, delay);
        using var publisher = new MqttResultPublisher(new MqttSourceOptions { Name = "bench-publisher", Port = port, ClientId = $"bench-pub-{maxBatch}", CleanSession = true }, "bench/line1/{station}/telemetry", qos: 0);
        using var stop = new CancellationTokenSource();
        await publisher.StartAsync(stop.Token).ConfigureAwait(false);
        var verdicts = new VerdictCounter(port, maxBatch);
        var listening = verdicts.RunAsync(stop.Token);
        var rows = new List<Dictionary<string, object>>();
        try
        {
            await WarmUpAsync(agent, publisher, verdicts).ConfigureAwait(false);
            foreach (var rate in new[] { 1_000.0, 10_000.0, 20_000.0, 30_000.0, 40_000.0, 60_000.0, 80_000.0, 0 })
            {
                var row = await StepAsync(agent, publisher, verdicts, brokerPid, rate, seconds, maxBatch, delay).ConfigureAwait(false);
                rows.Add(row);
                Console.WriteLine(string.Join("  ", row.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
                if (rate > 20_000 && !(bool)row["sustained"])
                {
                    // Above the targets' rate, stop stepping at the first rate the agent cannot keep; the unpaced row ends the part.
                    rows.Add(await StepAsync(agent, publisher, verdicts, brokerPid, 0, seconds, maxBatch, delay).ConfigureAwait(false));
                    Console.WriteLine(string.Join("  ", rows[^1].Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
                    break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await listening.ConfigureAwait(false);
        }

        return rows;
    }

    /// <summary>Feeds the station its calibration samples and waits for the first published verdict.</summary>
    private static async Task WarmUpAsync(AgentProcess agent, MqttResultPublisher publisher, VerdictCounter verdicts)
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

            if (publisher.Status.State != SourceState.Connected)
            {
                await Task.Delay(20).ConfigureAwait(false);
                continue;
            }

            for (var i = 0; i < 100; i++)
            {
                publisher.Publish("pump", Sample(sent++));
            }

            await Task.Delay(sent < CalibrationSamples * 2 ? 20 : 100).ConfigureAwait(false);
        }

        await Task.Delay(500).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, object>> StepAsync(AgentProcess agent, MqttResultPublisher publisher, VerdictCounter verdicts, int brokerPid, double rate, double seconds, int maxBatch, int delay)
    {
        await Task.Delay(300).ConfigureAwait(false);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var agentCpuBefore = ProcessCpu.Of(agent.ProcessId);
        var brokerCpuBefore = ProcessCpu.Of(brokerPid);
        verdicts.StartWindow();
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(seconds * Stopwatch.Frequency);
        long sent = 0, refused = 0;
        long now;
        while ((now = Stopwatch.GetTimestamp()) < until)
        {
            if (rate > 0 && sent >= (now - start) * rate / Stopwatch.Frequency)
            {
                // Ahead of schedule: sleep ~1 ms, then send what has come due (bursts of rate/1000).
                Thread.Sleep(1);
                continue;
            }

            if (!publisher.Publish("pump", Sample(sent)))
            {
                refused++;
            }

            sent++;
        }

        var window = Stopwatch.GetElapsedTime(start).TotalSeconds;
        // Let what is in flight arrive: up to 2 s after the last sample, or as soon as every sample is answered.
        var drainUntil = Stopwatch.GetTimestamp() + (2 * Stopwatch.Frequency);
        while (verdicts.InWindow < sent - refused && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        var agentCpu = ProcessCpu.Of(agent.ProcessId) - agentCpuBefore;
        var brokerCpu = ProcessCpu.Of(brokerPid) - brokerCpuBefore;
        var (received, latencies, agentLatencies) = verdicts.EndWindow();
        var (rss, peak) = agent.Memory();
        var p50 = latencies.At(0.5) / 1000;
        var p99 = latencies.At(0.99) / 1000;
        var sustained = received >= 0.99 * sent && p99 < 100;
        return new Dictionary<string, object>
        {
            ["max_batch"] = maxBatch,
            ["max_delay_us"] = delay,
            ["offered_per_s"] = rate > 0 ? rate : "max (unpaced)",
            ["published_per_s"] = Math.Round(sent / window),
            ["verdicts_per_s"] = Math.Round(received / window),
            ["lost"] = Math.Max(0, sent - received),
            ["latency_p50_ms"] = Math.Round(p50, 3),
            ["latency_p99_ms"] = Math.Round(p99, 3),
            ["sustained"] = sustained,
            ["agent_batcher_p99_ms"] = Math.Round(agentLatencies.At(0.99) / 1000, 3),
            ["agent_rss_mib"] = rss,
            ["agent_peak_rss_mib"] = peak,
            // CPU each process spent per verdict (agent) and per published sample (broker, which also feeds the verdict subscriber).
            ["agent_cpu_us_per_sample"] = Math.Round(agentCpu.TotalMicroseconds / Math.Max(1, received), 1),
            ["broker_cpu_us_per_sample"] = Math.Round(brokerCpu.TotalMicroseconds / Math.Max(1, sent), 1),
            ["load_average_1min"] = File.ReadAllText("/proc/loadavg").Split(' ')[0],
            ["bench_process_cpu_s"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds, 2),
        };
    }

    /// <summary>The ceiling: mosquitto_sub alone receiving the sample stream, published as fast as the publisher can.</summary>
    private static async Task<Dictionary<string, object>> CeilingAsync(int port, double seconds)
    {
        using var publisher = new MqttResultPublisher(new MqttSourceOptions { Name = "bench-publisher", Port = port, ClientId = "bench-pub-ceiling", CleanSession = true }, "bench/line1/{station}/telemetry", qos: 0);
        using var stop = new CancellationTokenSource();
        await publisher.StartAsync(stop.Token).ConfigureAwait(false);
        using var raw = new RawSubscriber(port, AgentProcess.SampleTopic);
        for (var wait = 0; wait < 100 && publisher.Status.State != SourceState.Connected; wait++)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        await Task.Delay(500).ConfigureAwait(false);
        var before = raw.Lines;
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(seconds * Stopwatch.Frequency);
        long sent = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            if (publisher.Publish("pump", Sample(sent)))
            {
                sent++;
            }
        }

        var window = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Task.Delay(1000).ConfigureAwait(false);
        var received = raw.Lines - before;
        await stop.CancelAsync().ConfigureAwait(false);
        return new Dictionary<string, object>
        {
            ["published_per_s"] = Math.Round(sent / window),
            ["mosquitto_sub_per_s"] = Math.Round(received / window),
            ["mosquitto_sub_received_share"] = Math.Round((double)received / Math.Max(1, sent), 3),
        };
    }

    /// <summary>One pump sample: three features near a steady operating point, stamped with its send time.</summary>
    private static byte[] Sample(long n)
    {
        var wobble = Math.Sin(n * 0.01);
        var a1 = 0.21 + (0.01 * wobble) + (0.002 * ((n * 7919) % 13) / 13.0);
        var a2 = 0.26 + (0.01 * Math.Cos(n * 0.013)) + (0.002 * ((n * 104729) % 17) / 17.0);
        var flow = 32 + (0.5 * wobble) + (0.1 * ((n * 31) % 11) / 11.0);
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"ts\":\"{DateTime.UtcNow:O}\",\"a1\":{a1:R},\"a2\":{a2:R},\"flow\":{flow:R}}}"));
    }

    private static string ReadTail(string path)
    {
        if (!File.Exists(path))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(path);
        return text.Length > 4000 ? text[^4000..] : text;
    }

    /// <summary>Subscribes to the verdicts through the project's own MQTT source; records each one's latency in the current window.</summary>
    private sealed class VerdictCounter(int port, int maxBatch)
    {
        private readonly Lock _gate = new();
        private long _received;
        private long _inWindow;
        private long _windowStart = long.MaxValue;
        private Percentiles _latencies = new(1 << 20);
        private Percentiles _agentLatencies = new(1 << 20);

        public long Received => Interlocked.Read(ref _received);

        public long InWindow => Interlocked.Read(ref _inWindow);

        public void StartWindow()
        {
            lock (_gate)
            {
                _latencies = new Percentiles(1 << 20);
                _agentLatencies = new Percentiles(1 << 20);
                Interlocked.Exchange(ref _inWindow, 0);
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

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var source = new MqttSource(new MqttSourceOptions
            {
                Name = "bench-verdicts",
                Port = port,
                ClientId = $"bench-verdicts-{maxBatch}",
                CleanSession = true,
                QueueCapacity = 1 << 20,
                Subscriptions = [new MqttSubscription(AgentProcess.VerdictTopic, 0, new JsonPayloadDecoder(new Dictionary<string, string> { ["score"] = "score", ["latency_ms"] = "latency_ms" }, "time"))],
            });
            var channel = Channel.CreateUnbounded<TagSample>(new UnboundedChannelOptions { SingleReader = true });
            var running = source.RunAsync(channel.Writer, cancellationToken);
            try
            {
                await foreach (var verdict in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (verdict.Tag == "latency_ms")
                    {
                        // The agent's own share: the frame's batcher queue wait plus its ONNX Runtime run.
                        lock (_gate)
                        {
                            if (verdict.Timestamp.UtcTicks >= _windowStart)
                            {
                                _agentLatencies.Add(verdict.Value * 1000);
                            }
                        }

                        continue;
                    }

                    var arrival = DateTimeOffset.UtcNow.UtcTicks;
                    Interlocked.Increment(ref _received);
                    lock (_gate)
                    {
                        if (verdict.Timestamp.UtcTicks >= _windowStart)
                        {
                            _latencies.Add((arrival - verdict.Timestamp.UtcTicks) / 10.0);
                            Interlocked.Increment(ref _inWindow);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            await running.ConfigureAwait(false);
        }
    }
}
