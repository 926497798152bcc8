namespace AiFactory.Edge.Core.Batching;

/// <summary>Runs one batch synchronously on the batcher's runner thread. Implementations need not be thread-safe.</summary>
public interface IBatchExecutor
{
    string ModelName { get; }

    /// <summary>Floats per input frame.</summary>
    int FrameLength { get; }

    /// <summary>Floats per result (an anomaly score: 1; a classifier: its outputs, e.g. label then C probabilities).</summary>
    int ResultLength { get; }

    int MaxBatchSize { get; }

    /// <param name="frames"><paramref name="batch"/> × <see cref="FrameLength"/> floats, row-major.</param>
    /// <param name="batch">Rows in this batch.</param>
    /// <param name="results"><paramref name="batch"/> × <see cref="ResultLength"/> floats to fill.</param>
    void Execute(ReadOnlySpan<float> frames, int batch, Span<float> results);
}
