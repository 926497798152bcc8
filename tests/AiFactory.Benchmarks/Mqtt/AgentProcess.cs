using System.Diagnostics;
using System.Globalization;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>
/// The edge agent as a child process (`aifactory-edge run --config`, the Release build), reading samples from
/// the benchmark broker and publishing its verdicts back to it; its resident memory read from /proc.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    public const string SampleTopic = "bench/line1/pump/telemetry";
    public const string VerdictTopic = "bench/line1/pump/verdict";

    private readonly Process _process;

    public AgentProcess(string repository, string folder, int port, int maxBatch, int holdMicroseconds, int resultsPerMessage)
    {
        var config = Path.Combine(folder, $"edge-batch{maxBatch}-pack{resultsPerMessage}.yaml");
        File.WriteAllText(config, $"""
            sources:
              - name: bench-broker
                type: mqtt
                host: 127.0.0.1
                port: {port}
                client_id: bench-edge-{maxBatch}-{resultsPerMessage}
                clean_session: true
                subscriptions:
                  - topic: {SampleTopic}
                    qos: 0
                    json:
                      timestamp: ts
                      tags:
                        pump/acc1: a1
                        pump/acc2: a2
                        pump/flow: flow
            outputs:
              mqtt:
                host: 127.0.0.1
                port: {port}
                client_id: bench-edge-verdicts-{maxBatch}-{resultsPerMessage}
                topic: bench/line1/{"{station}"}/verdict
                qos: 0
                max_results_per_message: {resultsPerMessage}
            stations:
              - name: pump
                model: {Path.Combine(repository, "models", "pump-vibration-flow")}
                tags:
                  Accelerometer1RMS: pump/acc1
                  Accelerometer2RMS: pump/acc2
                  Volume Flow RateRMS: pump/flow
            """);
        var binary = Path.Combine(repository, "edge", "AiFactory.Edge", "bin", "Release", "net10.0", "aifactory-edge");
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"the Release agent is not built ({binary}): run `dotnet build -c Release edge/AiFactory.Edge` first");
        }

        Log = Path.Combine(folder, $"agent-batch{maxBatch}-pack{resultsPerMessage}-hold{holdMicroseconds}.log");
        var args = string.Join(' ', "run", "--config", Quote(config), "--max-batch", maxBatch.ToString(CultureInfo.InvariantCulture), "--max-queue-delay-us", "0", "--max-hold-us", holdMicroseconds.ToString(CultureInfo.InvariantCulture));
        StartedAt = DateTimeOffset.UtcNow.UtcTicks;
        // exec: the shell becomes the agent, so the pid (and /proc/pid) is the agent's; its console goes to a log file.
        _process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", $"exec {Quote(binary)} {args} > {Quote(Log)} 2>&1" } })
            ?? throw new InvalidOperationException("the agent did not start");
    }

    public string Log { get; }

    /// <summary>When the agent was started (UTC ticks).</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>Resident set size now and at its peak, in MiB.</summary>
    public (double Rss, double Peak) Memory()
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line) / 1024.0;
            }
        }

        return (Math.Round(rss, 1), Math.Round(peak, 1));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static double Kib(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
