using System.Diagnostics;
using System.Globalization;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>
/// What receiving alone costs, side by side in one run on one broker (`--only mqtt-floor`): the same pump-sample stream
/// as the end-to-end benchmark, at each offered rate, into (a) mosquitto_sub and (b) <see cref="FloorClient"/>, an
/// MQTTnet client with the agent's connect options doing only what issue 11 requires of the agent's receive path, and
/// (c) the same on MQTTnet's low-level client. For each: messages received per
/// second, its CPU per message, the broker's. The agent can cost no less per sample than (b); with the broker's share
/// and the load generator's, it shows how far the two cores can carry an MQTTnet agent at all.
/// </summary>
internal static class MqttFloorBenchmark
{
    public static async Task<Dictionary<string, object>> RunAsync(double seconds, string? rates)
    {
        var steps = rates?.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray() ?? [20_000, 40_000, 60_000, 80_000, 0];
        var folder = Directory.CreateTempSubdirectory("aifactory-mqtt-floor-").FullName;
        using var broker = new BenchBroker(folder);
        var rows = new List<Dictionary<string, object>>();
        foreach (var rate in steps)
        {
            foreach (var receiver in new[] { "mosquitto_sub", "mqttnet_client", "mqttnet_low_level" })
            {
                using var publisher = new MqttEndToEndBenchmark.SamplePublisher(broker.Port, $"bench-floor-pub-{rows.Count}");
                using var subscriber = receiver == "mosquitto_sub" ? (IReceiver)new SubReceiver(broker.Port) : new FloorReceiver(broker.Port, receiver == "mqttnet_low_level" ? "low-level" : "client");
                await Task.Delay(1000).ConfigureAwait(false);
                var cpuBefore = ProcessCpu.Of(subscriber.ProcessId);
                var brokerBefore = ProcessCpu.Of(broker.ProcessId);
                var benchBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var receivedBefore = subscriber.Received();
                var start = Stopwatch.GetTimestamp();
                var sent = publisher.SendPaced(rate, seconds, start);
                var window = Stopwatch.GetElapsedTime(start).TotalSeconds;
                // What was sent arrives, or the receiver has fallen behind for good: up to 2 s more.
                var drainUntil = Stopwatch.GetTimestamp() + (2 * Stopwatch.Frequency);
                long received;
                while ((received = subscriber.Received() - receivedBefore) < sent && Stopwatch.GetTimestamp() < drainUntil)
                {
                    await Task.Delay(20).ConfigureAwait(false);
                }

                var cpu = ProcessCpu.Of(subscriber.ProcessId) - cpuBefore;
                var brokerCpu = ProcessCpu.Of(broker.ProcessId) - brokerBefore;
                var row = new Dictionary<string, object>
                {
                    ["receiver"] = receiver,
                    ["offered_per_s"] = rate > 0 ? rate : "max (unpaced)",
                    ["published_per_s"] = Math.Round(sent / window),
                    ["received_per_s"] = Math.Round(received / window),
                    ["received_share"] = Math.Round((double)received / Math.Max(1, sent), 3),
                    ["receiver_cpu_us_per_message"] = Math.Round(cpu.TotalMicroseconds / Math.Max(1, received), 2),
                    ["broker_cpu_us_per_message"] = Math.Round(brokerCpu.TotalMicroseconds / Math.Max(1, sent), 2),
                    ["load_generator_cpu_us_per_message"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - benchBefore).TotalMicroseconds / Math.Max(1, sent), 2),
                    ["load_average_1min"] = File.ReadAllText("/proc/loadavg").Split(' ')[0],
                };
                rows.Add(row);
                Console.WriteLine(string.Join("  ", row.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
            }
        }

        return new Dictionary<string, object> { ["broker"] = $"mosquitto on 127.0.0.1:{broker.Port}, QoS 0", ["seconds_per_step"] = seconds, ["steps"] = rows };
    }

    private interface IReceiver : IDisposable
    {
        int ProcessId { get; }

        long Received();
    }

    private sealed class SubReceiver(int port) : IReceiver
    {
        private readonly RawSubscriber _sub = new(port, AgentProcess.SampleTopic);

        public int ProcessId => _sub.ProcessId;

        public long Received() => _sub.Lines;

        public void Dispose() => _sub.Dispose();
    }

    /// <summary><see cref="FloorClient"/> as a child process of this benchmark, with the agent's runtime settings.</summary>
    private sealed class FloorReceiver : IReceiver
    {
        private readonly Process _process;

        public FloorReceiver(int port, string kind)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { typeof(FloorClient).Assembly.Location, "--mqtt-client-floor", port.ToString(CultureInfo.InvariantCulture), AgentProcess.SampleTopic, kind },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            // As the agent runs: fully optimised at once, workstation GC without a background thread, no spinning workers.
            start.Environment["DOTNET_TieredCompilation"] = "0";
            start.Environment["DOTNET_gcConcurrent"] = "0";
            start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
            _process = Process.Start(start) ?? throw new InvalidOperationException("the MQTTnet floor client did not start");
            if (_process.StandardOutput.ReadLine() != "ready")
            {
                throw new InvalidOperationException("the MQTTnet floor client did not subscribe");
            }
        }

        public int ProcessId => _process.Id;

        public long Received()
        {
            _process.StandardInput.WriteLine("count");
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the MQTTnet floor client exited");
            return long.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
