namespace AiFactory.Onnx;

/// <summary>Session settings; the defaults suit an edge PC running one model per runner thread.</summary>
public sealed class OnnxSessionOptions
{
    public int IntraOpThreads { get; init; } = 1;

    public int InterOpThreads { get; init; } = 1;

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>Spinning burns a core while waiting for work; off by default on shared plant PCs.</summary>
    public bool AllowSpinning { get; init; }
}
