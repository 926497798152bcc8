using AiFactory.Edge.Live;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// The drill's faults, in the order of its table (the short drill runs them in lanes side by side, see FaultDrill). Each
/// is one entry: a new fault is one more entry here, with the hub it needs.
/// </summary>
internal static class Scenarios
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);
    /// <summary>The agent's log line (UplinkLog.AppendFailed) for a window the outbox could not store.</summary>
    public const string AppendFailed = "cannot store the window";

    private static readonly TimeSpan ProxyOutage = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HeldUpload = TimeSpan.FromSeconds(30);

    /// <summary>Seconds after its start when the edge's wall clock jumps (back for even edges, forward for odd).</summary>
    private const double ClockJumpAfter = 12;

    public static IReadOnlyList<Scenario> All { get; } =
    [
        // Its edges run twice the drill's edge time: a hub restarting beside the other lanes (and a cluster starting)
        // took 20 s on a loaded machine, and the edges must still be streaming when it answers again.
        new("hub-kill", "kill -9 of the hub with an upload in flight, down 3 s, restarted on the same database", HubKillAsync) { EdgeTimeFactor = 2 },
        new("edge-kill", "kill -9 of an edge with its upload applied but not acknowledged, restarted on the same outbox", EdgeKillAsync),
        new("proxy", "TCP proxy drops (2 s), delays 0.7 s a chunk (2 s), resets every answer (2 s), cuts (2 s)", ProxyAsync),
        new("disk-full", "the first edge's outbox file system full to the last page (at least 3 s, until a window fails to store) while the hub is cut off", DiskFullAsync) { OutboxOnOwnDisk = true },
        new("postgres-restart", "the hub on PostgreSQL, the whole server restarted", PostgresRestartAsync) { OnPostgres = true },
        new("silo-kill", "kill -9 of one silo of three (PostgreSQL, behind nginx), down 3 s, restarted; twice", SiloKillAsync) { OnCluster = true, EdgeTimeFactor = 3 },
        new("clock-jump", "the edges' wall clocks step 1 h back (even) or forward (odd) while running", ClockJumpAsync)
        {
            Environment = i => new Dictionary<string, string> { [DrillClock.Variable] = $"{ClockJumpAfter}:{(i % 2 == 0 ? -3600 : 3600)}" },
        },
    ];

    private static async Task HubKillAsync(ScenarioContext c)
    {
        var held = c.Edges[0].Tap.HoldNextAsync();
        await held.WaitAsync(HeldUpload);
        await c.Hub.Process.KillAsync();
        c.Edges[0].Tap.Release();
        await Task.Delay(Outage);
        await c.Hub.Process.StartAgainAsync();
        c.Healed();
    }

    private static async Task EdgeKillAsync(ScenarioContext c)
    {
        var edge = c.Edges[0];
        var held = edge.Tap.HoldNextAsync();
        await held.WaitAsync(HeldUpload);
        await edge.Process!.KillAsync();
        var acked = edge.Tap.Acked;
        edge.Tap.Release();
        await Eventually.WaitFor(() => edge.Tap.Acked > acked, "the hub's answer to the upload whose edge was killed", HeldUpload);
        edge.Start(Math.Max(5, c.EdgeSeconds - c.Elapsed.TotalSeconds));
        c.Healed();
    }

    private static async Task ProxyAsync(ScenarioContext c)
    {
        foreach (var fault in new[] { ProxyFault.Drop, ProxyFault.Delay, ProxyFault.Reset, ProxyFault.Cut })
        {
            SetFault(c, fault);
            await Task.Delay(ProxyOutage);
        }

        SetFault(c, ProxyFault.None);
        c.Healed();
    }

    private static async Task DiskFullAsync(ScenarioContext c)
    {
        var edge = c.Edges[0];
        edge.Proxy.Fault = ProxyFault.Cut;
        c.Disk!.Fill();
        await Task.Delay(Outage);

        // SQLite reuses its WAL's space: the disk is kept full until the outbox felt it (a window it could not store).
        await Eventually.WaitFor(() => edge.Starts > 0 && edge.Process!.Output.Contains(AppendFailed, StringComparison.Ordinal), "the edge's outbox failing on the full disk", HeldUpload);
        c.Disk.Free();
        edge.Proxy.Fault = ProxyFault.None;
        c.Healed();
    }

    /// <summary>
    /// Kills the second silo, restarts it on the same silo port (a new generation), waits for every edge's next
    /// acknowledged upload, and does it again: the cluster must declare each dead generation and reactivate its grains
    /// elsewhere while nginx sends the edges' retries to the living silos.
    /// </summary>
    private static async Task SiloKillAsync(ScenarioContext c)
    {
        var silo = c.Hub.Silos[1];
        for (var kill = 1; kill <= 2; kill++)
        {
            await silo.KillAsync();
            await Task.Delay(Outage);
            await silo.StartAgainAsync();
            if (kill == 1)
            {
                var acked = c.Edges.Select(e => e.Tap.Acked).ToArray();
                await Eventually.WaitFor(() => c.Edges.Select((e, i) => e.Tap.Acked > acked[i]).All(x => x), "an acknowledged upload from every edge between the two kills", HeldUpload);
            }
        }

        c.Healed();
    }

    private static async Task PostgresRestartAsync(ScenarioContext c)
    {
        await PostgresControl.RestartAsync();
        c.Healed();
    }

    private static async Task ClockJumpAsync(ScenarioContext c)
    {
        var jump = TimeSpan.FromSeconds(ClockJumpAfter) - c.Elapsed;
        if (jump > TimeSpan.Zero)
        {
            await Task.Delay(jump);
        }

        c.Healed();
    }

    private static void SetFault(ScenarioContext c, ProxyFault fault)
    {
        foreach (var e in c.Edges)
        {
            e.Proxy.Fault = fault;
        }
    }
}
