using System.Diagnostics;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// Runs one scenario: fresh edges (ids "scenario-round-eN") upload to the hub, the fault is injected, the time until
/// every edge's next acknowledged upload is taken, the edges finish (and drain what is left on the same outbox), then
/// what each committed is counted against what the hub stored.
/// </summary>
internal static class ScenarioRun
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const double DrainSeconds = 4;
    private const int DrainRuns = 3;

    /// <param name="healed">Called when the fault is over (the short drill starts the cluster once PostgreSQL's restart is).</param>
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, DrillHub hub, DrillOptions options, int round, string dir, Action? healed = null)
    {
        string? why = null;
        using var disk = scenario.OutboxOnOwnDisk ? TmpfsMount.TryMount(Path.Combine(dir, $"{scenario.Name}-{round}-disk"), 8, out why) : null;
        if (why is not null)
        {
            return ScenarioResult.NotRun(scenario, hub.Database, why);
        }

        var edges = new List<DrillEdge>();
        try
        {
            for (var i = 0; i < options.Edges; i++)
            {
                var id = $"{scenario.Name}-{round}-e{i}";
                edges.Add(await DrillEdge.CreateAsync(hub, id, dir, i == 0 && disk is not null ? disk.Path : dir, scenario.Environment(i)));
            }

            var seconds = options.EdgeSeconds * scenario.EdgeTimeFactor;
            var context = new ScenarioContext(hub, edges, seconds, disk, healed);
            foreach (var e in edges)
            {
                e.Start(seconds);
            }

            await Eventually.WaitFor(() => edges.All(e => e.Tap.Acked >= 2), "two acknowledged uploads from every edge", Patience);
            await scenario.InjectAsync(context);
            var recovery = await RecoveryAsync(context);
            var notes = new List<string>();
            foreach (var e in edges)
            {
                await FinishAsync(e, TimeSpan.FromSeconds(seconds) + Patience, notes);
            }

            var tallies = new List<EdgeTally>();
            foreach (var e in edges)
            {
                tallies.Add(await EdgeTally.CountAsync(e, hub));
            }

            notes.AddRange(tallies.SelectMany(t => t.Problems()));
            var told = tallies.Select(t => t.Uncommitted).OfType<string>().ToList();
            if (notes.Count > 0 || tallies.Any(t => t.Lost != 0 || t.Doubled != 0))
            {
                notes.AddRange(FailureLogs.Save(scenario.Name, round, edges, hub));
            }

            return new ScenarioResult(
                scenario.Name, hub.Database, edges.Count, tallies.Sum(t => t.Outbox.Committed), tallies.Sum(t => t.Hub.Records),
                tallies.Sum(t => t.Lost), tallies.Sum(t => t.Doubled), tallies.Sum(t => t.Hub.Duplicates),
                tallies.Sum(t => t.SentFrames), tallies.Sum(t => t.Hub.Frames), recovery, notes) { Remarks = told };
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or IOException)
        {
            var output = edges.OrderBy(x => x.Process?.HasExited == true ? 0 : 1).Select(x => x.Process?.Output).FirstOrDefault(o => !string.IsNullOrEmpty(o));
            return new ScenarioResult(scenario.Name, hub.Database, edges.Count, 0, 0, 0, 0, 0, 0, 0, null,
                [$"failed: {e.Message}", $"the last output of an edge (one that ended first): {Tail(output)}", .. edges.Select(x => $"{x.Id}: proxy {(Listens(x.Proxy.Port) ? "listens" : "does not listen")}, fault {x.Proxy.Fault}, {x.Proxy.Accepted} connections accepted, tap acked {x.Tap.Acked}"), .. FailureLogs.Save(scenario.Name, round, edges, hub)]);
        }
        finally
        {
            foreach (var e in edges)
            {
                await e.DisposeAsync();
            }
        }
    }

    /// <summary>From the fault's end until every edge had an upload acknowledged after it.</summary>
    private static async Task<TimeSpan> RecoveryAsync(ScenarioContext c)
    {
        await Eventually.WaitFor(
            () => c.Edges.Select((e, i) => e.Tap.Acked > c.AckedAtHeal[i] || (e.Process!.HasExited ? throw new InvalidOperationException($"{e.Id} ended before an upload after the fault was acknowledged: the scenario outlasts the edges' {c.EdgeSeconds} s") : false)).All(x => x),
            "an acknowledged upload from every edge after the fault", Patience);
        return Stopwatch.GetElapsedTime(c.HealedAt);
    }

    /// <summary>Waits for the agent's own end; what still waits in its outbox goes out in short runs on the same outbox.</summary>
    private static async Task FinishAsync(DrillEdge edge, TimeSpan patience, List<string> notes)
    {
        var code = await edge.Process!.WaitAsync(patience);
        if (code != 0)
        {
            notes.Add($"{edge.Id}: the agent exited with {code}: {Tail(edge.Process.Output)}");
        }

        for (var run = 0; run < DrainRuns && OutboxLedger.Read(edge.Outbox).Waiting > 0; run++)
        {
            edge.Start(DrainSeconds);
            await edge.Process!.WaitAsync(Patience);
        }
    }

    private static bool Listens(int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpClient();
            probe.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string Tail(string? output)
    {
        var lines = (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.Where(l => !l.Contains("  ok  ", StringComparison.Ordinal)).TakeLast(6)).Trim();
    }
}
