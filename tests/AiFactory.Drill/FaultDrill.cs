using System.Diagnostics;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// The drill. The short drill runs <see cref="Scenarios.All"/> once in <see cref="DrillLane"/>s side by side: each lane
/// has a hub of its own, so a fault never reaches another lane's edges; the cluster of silo-kill starts once the
/// PostgreSQL restart (the one fault all PostgreSQL hubs share) is over. The soak and <c>--only</c> run scenario after
/// scenario on one hub (one on PostgreSQL for the scenarios that need it), round after round until the soak's time is up.
/// </summary>
internal static class FaultDrill
{
    private const int Silos = 3;
    private const int SqliteLanes = 2;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(DrillOptions options, TextWriter progress)
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-drill-").FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            return options.Soak is null && options.Only is null
                ? await SideBySideAsync(options, progress, clock, dir)
                : await InTurnAsync(options, progress, clock, dir);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A tmpfs still busy: the temp folder's remains are harmless.
            }
        }
    }

    /// <summary>
    /// The short drill: a lane for the PostgreSQL restart (then SQLite scenarios), a lane for the cluster (started once
    /// PostgreSQL is back), and <see cref="SqliteLanes"/> more for the other scenarios, dealt out in turn.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> SideBySideAsync(DrillOptions options, TextWriter progress, Stopwatch clock, string dir)
    {
        var postgresBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lanes = Enumerable.Range(0, SqliteLanes + 1)
            .Select(i => new DrillLane(Path.Combine(dir, $"lane-{i}"), options, clock, progress) { PostgresBack = i == 0 ? postgresBack : null })
            .ToList();
        lanes[0].Add(Scenarios.All.Where(s => s.OnPostgres));
        var rest = Scenarios.All.Where(s => !s.OnPostgres && !s.OnCluster).ToList();
        for (var i = 0; i < rest.Count; i++)
        {
            lanes[(i + 1) % lanes.Count].Add([rest[i]]);
        }

        var clusterLane = new DrillLane(Path.Combine(dir, "cluster"), options, clock, progress) { StartAfter = postgresBack.Task };
        clusterLane.Add(Scenarios.All.Where(s => s.OnCluster));
        lanes.Add(clusterLane);
        if (!Scenarios.All.Any(s => s.OnPostgres))
        {
            postgresBack.TrySetResult();
        }

        var results = await Task.WhenAll(lanes.Select(l => l.RunAsync(OnClusterAsync)));
        var order = Scenarios.All.Select(s => s.Name).ToList();
        return [.. results.SelectMany(r => r).OrderBy(r => order.IndexOf(r.Scenario))];
    }

    private static async Task<IReadOnlyList<ScenarioResult>> InTurnAsync(DrillOptions options, TextWriter progress, Stopwatch clock, string dir)
    {
        var results = new List<ScenarioResult>();
        await using var sqlite = await DrillHub.StartSqliteAsync(dir);
        await using var postgres = PostgresDatabase.Missing is null ? await DrillHub.StartPostgresAsync() : null;
        for (var round = 1; round == 1 || clock.Elapsed < options.Soak; round++)
        {
            foreach (var scenario in Scenarios.All.Where(s => options.Only is null || s.Name == options.Only))
            {
                var result = scenario.OnCluster
                    ? await OnClusterAsync(scenario, options, round, dir)
                    : (scenario.OnPostgres ? postgres : sqlite) is { } hub
                        ? await ScenarioRun.RunAsync(scenario, hub, options, round, dir)
                        : ScenarioResult.NotRun(scenario, "PostgreSQL", PostgresDatabase.Missing!);
                results.Add(result);
                await progress.WriteLineAsync(DrillLane.Progress(clock, round, scenario, result));
            }
        }

        return results;
    }

    /// <summary>A cluster of its own for the scenario: three silos cost memory and CPU the other scenarios should not pay.</summary>
    private static async Task<ScenarioResult> OnClusterAsync(Scenario scenario, DrillOptions options, int round, string dir)
    {
        if ((PostgresDatabase.Missing ?? NginxProxy.Missing) is { } missing)
        {
            return ScenarioResult.NotRun(scenario, "PostgreSQL, 3 silos", missing);
        }

        await using var cluster = await DrillHub.StartClusterAsync(Silos);
        return await ScenarioRun.RunAsync(scenario, cluster, options, round, dir);
    }
}
