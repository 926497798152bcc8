namespace AiFactory.Onnx;

/// <summary>How a session runs. Defaults suit a plant PC: one thread each, spinning off, full graph optimisation.</summary>
public sealed class OnnxSessionOptions
{
    public int IntraOpThreads { get; init; } = 1;

    public int InterOpThreads { get; init; } = 1;

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>Busy-wait in ONNX Runtime's thread pools between work items. Off by default: it burns a core on an edge PC.</summary>
    public bool AllowSpinning { get; init; }
}
