using AiFactory.Onnx;

namespace AiFactory.Edge.Core.Models;

/// <summary>
/// How ONNX Runtime runs the model on the plant PC: card.yaml's optional <c>runtime:</c> section. A key left out keeps
/// <see cref="OnnxSessionOptions"/>' default (one intra-op thread, no spinning).
/// </summary>
public sealed class CardRuntime
{
    /// <summary>More intra-op threads than this is a typo on any plant PC.</summary>
    public const int MaxIntraOpThreads = 64;

    /// <summary>Threads one Run may use; 0 leaves it to ONNX Runtime (one per physical core).</summary>
    public int? IntraOpThreads { get; set; }

    /// <summary>Whether ONNX Runtime's threads busy-wait between work items (lower latency, a core kept busy).</summary>
    public bool? AllowSpinning { get; set; }

    /// <summary>
    /// The p99 latency per frame (milliseconds, queue wait plus run) the line accepts from this model; absent: no limit.
    /// The hub rolls back a deployment of the model whose edges report more.
    /// </summary>
    public double? LatencyP99Ms { get; set; }

    public OnnxSessionOptions ToSessionOptions()
    {
        var defaults = new OnnxSessionOptions();
        return new OnnxSessionOptions
        {
            IntraOpThreads = IntraOpThreads ?? defaults.IntraOpThreads,
            AllowSpinning = AllowSpinning ?? defaults.AllowSpinning,
        };
    }
}
