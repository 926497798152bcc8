namespace AiFactory.Drill;

/// <summary>
/// One fault the drill injects: a name for the table, what it does, and the injection itself, which runs while the
/// edges upload and calls <see cref="ScenarioContext.Healed"/> when the fault is over.
/// </summary>
internal sealed record Scenario(string Name, string Fault, Func<ScenarioContext, Task> InjectAsync)
{
    private static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

    /// <summary>The hub runs on PostgreSQL (deploy/services/postgresql.sh's server) rather than SQLite.</summary>
    public bool OnPostgres { get; init; }

    /// <summary>The hub is three silos of one Orleans cluster on PostgreSQL behind nginx, started for this scenario alone.</summary>
    public bool OnCluster { get; init; }

    /// <summary>How much longer than the drill's edge time this scenario's edges run (its fault takes longer to play out).</summary>
    public double EdgeTimeFactor { get; init; } = 1;

    /// <summary>The first edge's outbox lives on a small tmpfs of its own (<see cref="ScenarioContext.Disk"/>).</summary>
    public bool OutboxOnOwnDisk { get; init; }

    /// <summary>More environment for edge i (by index).</summary>
    public Func<int, IReadOnlyDictionary<string, string>> Environment { get; init; } = _ => NoVariables;
}
