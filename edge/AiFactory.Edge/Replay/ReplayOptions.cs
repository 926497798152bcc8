using AiFactory.Edge.Core.Batching;

namespace AiFactory.Edge.Replay;

public sealed record ReplayOptions(string ModelFolder, string Input, string Output, int MaxBatch = DynamicBatcherOptions.DefaultMaxBatchSize, int MaxDelayMicroseconds = DynamicBatcherOptions.DefaultMaxQueueDelayMicroseconds, bool Baseline = true);
