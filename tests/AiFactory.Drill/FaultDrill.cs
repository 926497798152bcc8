using System.Diagnostics;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// The drill: a hub on SQLite (and one on PostgreSQL for the scenarios that need it) and every scenario of
/// <see cref="Scenarios.All"/> in turn, once, or round after round until the soak's time is up.
/// </summary>
internal static class FaultDrill
{
    private const int Silos = 3;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(DrillOptions options, TextWriter progress)
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-drill-").FullName;
        var results = new List<ScenarioResult>();
        var clock = Stopwatch.StartNew();
        try
        {
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
                    await progress.WriteLineAsync($"[drill {clock.Elapsed:mm\\:ss}] round {round} {scenario.Name}: {(result.Sent is null ? "not run" : result.Failed ? "FAILED" : "ok")} ({scenario.Fault})");
                }
            }
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
