using Microsoft.ML.OnnxRuntime;

namespace AiFactory.Onnx;

/// <summary>How a session runs. Defaults suit a plant PC: one thread each, spinning off, full graph optimisation.</summary>
public sealed class OnnxSessionOptions
{
    /// <summary>Threads one Run may use; 0 leaves it to ONNX Runtime (one per physical core).</summary>
    public int IntraOpThreads { get; init; } = 1;

    public int InterOpThreads { get; init; } = 1;

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Busy-wait in ONNX Runtime's thread pools between work items. Off by default: it burns a core on an edge PC.</summary>
    public bool AllowSpinning { get; init; }

    internal SessionOptions ToRuntime()
    {
        var options = new SessionOptions();
        try
        {
            options.IntraOpNumThreads = IntraOpThreads;
            options.InterOpNumThreads = InterOpThreads;
            options.GraphOptimizationLevel = OptimizationLevel;
            var spin = AllowSpinning ? "1" : "0";
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
