namespace AiFactory.Hub.Alliance;

/// <summary>Where a benchmark query spent its time (for the benchmark harness, never sent to callers).</summary>
/// <param name="ReadMs">Reading the lines' sums from the roll-up (<see cref="LineSpans"/>).</param>
/// <param name="PolicyLoadMs">Reading the policies in force.</param>
/// <param name="PolicyCheckMs">Checking every line against them.</param>
/// <param name="DecideAndRecordMs">Suppression, the release ledger or privacy ledger, and the audit entry, in one write transaction.</param>
public sealed record BenchmarkTimings(
    double ReadMs, double PolicyLoadMs, double PolicyCheckMs, double DecideAndRecordMs, int LinesRead, int PoliciesInForce, int LinesAllowed);
