namespace AiFactory.Drill;

/// <summary>
/// One row of the drill's table, summed over the scenario's edges: records committed to the outboxes (sent), applied
/// by the hub (stored), lost and doubled (by sequence, and by the frames and events they carry), resent records the
/// hub skipped, the frames in the records sent and in the hub's buckets, and the time from the fault's end to every edge's next acknowledged upload. Null counts: not run.
/// </summary>
internal sealed record ScenarioResult(string Scenario, string Database, int Edges, long? Sent, long? Stored, long? Lost, long? Doubled, long? Resent, long? SentFrames, long? StoredFrames, TimeSpan? Recovery, IReadOnlyList<string> Notes)
{
    /// <summary>What the table should say that is no failure (windows a full disk kept out of the outbox).</summary>
    public IReadOnlyList<string> Remarks { get; init; } = [];

    /// <summary>Ran, and something was lost or doubled, or went wrong.</summary>
    public bool Failed => Sent is not null && (Lost != 0 || Doubled != 0 || Notes.Count > 0);

    public static ScenarioResult NotRun(Scenario scenario, string database, string why) => new(scenario.Name, database, 0, null, null, null, null, null, null, null, null, [$"not run: {why}"]);
}
