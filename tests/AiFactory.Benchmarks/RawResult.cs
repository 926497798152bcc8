namespace AiFactory.Benchmarks;

/// <summary>Figures of one batch size in the raw ONNX Runtime benchmark.</summary>
public sealed record RawResult(int Batch, int Runs, double RowsPerSecond, double P50Microseconds, double P99Microseconds, double AllocatedBytesPerRun);
