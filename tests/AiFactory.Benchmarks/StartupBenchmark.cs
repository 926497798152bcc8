using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiFactory.Benchmarks.Mqtt;
using AiFactory.Edge.Core.Models;

namespace AiFactory.Benchmarks;

/// <summary>
/// Agent start to first verdict: the Release agent of <c>repository</c> (so an older checkout's agent can be timed by
/// the same harness) is started as a child process on a simulated plate-inspection line (steel-defects, no calibration:
/// the first part is scored at once) that publishes its verdicts to mosquitto on loopback; the time is from starting
/// the process to this process receiving the first verdict message. Every round starts a fresh agent.
/// </summary>
internal static class StartupBenchmark
{
    private const string Station = "plate-1";
    private const string VerdictTopic = "bench/startup/" + Station + "/verdict";

    public static async Task<Dictionary<string, object>> RunAsync(string repository, string models, int rounds)
    {
        var binary = Path.Combine(repository, "edge", "AiFactory.Edge", "bin", "Release", "net10.0", "aifactory-edge");
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"the Release agent is not built ({binary}): run `dotnet build -c Release edge/AiFactory.Edge` in {repository} first");
        }

        var folder = Directory.CreateTempSubdirectory("aifactory-startup-bench-").FullName;
        try
        {
            using var broker = new BenchBroker(folder);
            var config = WriteConfig(folder, broker.Port, Path.Combine(models, "steel-defects"));
            var seconds = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                seconds.Add(await FirstVerdictAsync(binary, config, broker.Port, Path.Combine(folder, $"agent-{round}.log")).ConfigureAwait(false));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"startup round {round + 1}: first verdict after {seconds[^1]:F3} s"));
            }

            seconds.Sort();
            return new Dictionary<string, object>
            {
                ["agent"] = binary,
                ["rounds"] = rounds,
                ["first_verdict_s_median"] = Math.Round(seconds[seconds.Count / 2], 3),
                ["first_verdict_s_min"] = Math.Round(seconds[0], 3),
                ["first_verdict_s_max"] = Math.Round(seconds[^1], 3),
                ["load_average_1m"] = LoadAverage(),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> FirstVerdictAsync(string binary, string config, int port, string log)
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscriber = new LoadClient(port, $"bench-startup-{Environment.ProcessId}");
        subscriber.Subscribe(VerdictTopic);
        var reader = new Thread(() => subscriber.ReadMessages((_, _) => first.TrySetResult())) { IsBackground = true, Name = "bench startup verdicts" };
        reader.Start();

        var start = Stopwatch.GetTimestamp();
        using var agent = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", $"exec '{binary}' run --config '{config}' > '{log}' 2>&1" } })
            ?? throw new InvalidOperationException("the agent did not start");
        try
        {
            await first.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"the agent published no verdict within 60 s; its log ({log}):\n{File.ReadAllText(log)}");
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One simulated plate station, its features fed under the card's own names, verdicts to the broker.</summary>
    private static string WriteConfig(string folder, int port, string model)
    {
        var card = ModelCardReader.Read(model);
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"""
            sources:
              - name: plate-sim
                type: simulator
                kind: plate
                station: {Station}
                seed: 43
                speed: 20
            outputs:
              mqtt:
                host: 127.0.0.1
                port: {port}
                client_id: bench-startup-verdicts
                topic: bench/startup/{"{station}"}/verdict
                qos: 0
            stations:
              - name: {Station}
                model: {model}
                trigger: {Station}/part_complete
                tags:

            """);
        foreach (var feature in card.Input.Features)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      \"{feature}\": \"{Station}/{feature}\"\n");
        }

        var path = Path.Combine(folder, "startup.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    private static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
