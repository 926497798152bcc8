using System.Diagnostics;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// Scenarios of the short drill that run one after another, beside other lanes: on a SQLite hub of the lane's own
/// (started when its first SQLite scenario comes), a PostgreSQL hub for the restart scenario, or a cluster of their own.
/// </summary>
internal sealed class DrillLane(string dir, DrillOptions options, Stopwatch clock, TextWriter progress)
{
    private readonly List<Scenario> _scenarios = [];
    private DrillHub? _sqlite;

    /// <summary>The lane waits for this before its first scenario (the cluster's lane, for the PostgreSQL restart to be over).</summary>
    public Task StartAfter { get; init; } = Task.CompletedTask;

    /// <summary>Completed once this lane's PostgreSQL restart is over (healed, or its scenario ended otherwise).</summary>
    public TaskCompletionSource? PostgresBack { get; init; }

    public void Add(IEnumerable<Scenario> scenarios) => _scenarios.AddRange(scenarios);

    /// <param name="onCluster">Runs a scenario on a cluster of its own.</param>
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(Func<Scenario, DrillOptions, int, string, Task<ScenarioResult>> onCluster)
    {
        var results = new List<ScenarioResult>();
        Directory.CreateDirectory(dir);
        try
        {
            await StartAfter;
            foreach (var scenario in _scenarios)
            {
                var result = scenario.OnCluster ? await onCluster(scenario, options, 1, dir) : await OnHubAsync(scenario);
                results.Add(result);
                await progress.WriteLineAsync(Progress(clock, 1, scenario, result));
            }
        }
        finally
        {
            PostgresBack?.TrySetResult();
            if (_sqlite is not null)
            {
                await _sqlite.DisposeAsync();
            }
        }

        return results;
    }

    public static string Progress(Stopwatch clock, int round, Scenario scenario, ScenarioResult result) =>
        $"[drill {clock.Elapsed:mm\\:ss}] round {round} {scenario.Name}: {(result.Sent is null ? "not run" : result.Failed ? "FAILED" : "ok")} ({scenario.Fault})";

    private async Task<ScenarioResult> OnHubAsync(Scenario scenario)
    {
        if (!scenario.OnPostgres)
        {
            _sqlite ??= await DrillHub.StartSqliteAsync(dir);
            return await ScenarioRun.RunAsync(scenario, _sqlite, options, 1, dir);
        }

        try
        {
            if (PostgresDatabase.Missing is { } missing)
            {
                return ScenarioResult.NotRun(scenario, "PostgreSQL", missing);
            }

            await using var postgres = await DrillHub.StartPostgresAsync();
            return await ScenarioRun.RunAsync(scenario, postgres, options, 1, dir, () => PostgresBack?.TrySetResult());
        }
        finally
        {
            PostgresBack?.TrySetResult();
        }
    }
}
