using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Onnx;

namespace AiFactory.Benchmarks;

/// <summary>A model folder opened for benchmarking: its card, its graph, and frames of plausible (normalised) inputs.</summary>
internal sealed class BenchModel : IDisposable
{
    private readonly int _intraOpThreads;

    public BenchModel(OnnxEnvironment environment, string folder, int intraOpThreads)
    {
        _intraOpThreads = intraOpThreads;
        Card = ModelCardReader.Read(folder);
        Model = OnnxModel.Load(environment, Card.OnnxPath, new OnnxSessionOptions { IntraOpThreads = intraOpThreads }, Card.Name);
        ModelCardReader.CheckAgainst(Card, Model);
        OutputNames = Card.IsAnomaly ? [Card.Output.Score!] : Card.Output.Label is { Length: > 0 } l ? [l, Card.Output.Probabilities!] : [Card.Output.Probabilities!];
        var random = new Random(1);
        Frames = new float[1024][];
        for (var i = 0; i < Frames.Length; i++)
        {
            Frames[i] = new float[Card.FrameLength];
            for (var j = 0; j < Card.FrameLength; j++)
            {
                Frames[i][j] = (float)((random.NextDouble() - 0.5) * 4);
            }
        }
    }

    public ModelCard Card { get; }

    public int IntraOpThreads => _intraOpThreads;

    public OnnxModel Model { get; }

    public string[] OutputNames { get; }

    public float[][] Frames { get; }

    public OnnxBatchExecutor Executor(int maxBatch) => new(Model, Card.Input.Name, OutputNames, maxBatch);

    public void Dispose() => Model.Dispose();
}
