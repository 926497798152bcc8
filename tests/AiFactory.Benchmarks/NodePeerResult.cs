namespace AiFactory.Benchmarks;

/// <summary>The JSON figures node/score-one-by-one.mjs prints.</summary>
public sealed record NodePeerResult(
    string Runtime, string Version, string Node, string Model, int Features, int Messages, double Seconds,
    double MessagesPerSecond, double P50Ms, double P99Ms, double MaxMs, long HeapDeltaBytes);
