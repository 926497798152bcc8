namespace AiFactory.Edge.Replay;

public sealed record ReplayOptions(string ModelFolder, string Input, string Output, int MaxBatch = 32, int MaxDelayMicroseconds = 500, bool Baseline = true);
