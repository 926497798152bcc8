namespace AiFactory.Hub.Alliance;

/// <summary>Where a benchmark query spent its time (for the benchmark harness and logs, never sent to callers).</summary>
public sealed record BenchmarkTimings(double ReadMs, double PolicyMs, double DecideAndRecordMs, int LinesRead, int LinesAllowed);
