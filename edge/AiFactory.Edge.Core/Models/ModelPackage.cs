using AiFactory.Edge.Core.Batching;
using AiFactory.Onnx;

namespace AiFactory.Edge.Core.Models;

/// <summary>A model folder made ready to score: its card, its ONNX session (checked against the card), and its DynamicBatcher.</summary>
public sealed class ModelPackage : IAsyncDisposable
{
    private readonly OnnxModel _model;
    private readonly OnnxBatchExecutor _executor;

    private ModelPackage(ModelCard card, OnnxModel model, OnnxBatchExecutor executor, DynamicBatcher batcher)
    {
        Card = card;
        _model = model;
        _executor = executor;
        Batcher = batcher;
    }

    public ModelCard Card { get; }

    public DynamicBatcher Batcher { get; }

    /// <summary>
    /// Reads the card, loads the graph (with the card's <c>runtime:</c> settings unless <paramref name="session"/>
    /// overrides them), checks they agree, and starts the batcher.
    /// </summary>
    /// <exception cref="ModelCardException">The card is invalid or disagrees with the graph.</exception>
    /// <exception cref="OnnxRuntimeException">The graph is missing or cannot be loaded.</exception>
    public static ModelPackage Load(string folder, OnnxEnvironment environment, DynamicBatcherOptions batching, OnnxSessionOptions? session = null)
    {
        var card = ModelCardReader.Read(folder);
        var model = OnnxModel.Load(environment, card.OnnxPath, session ?? card.Runtime.ToSessionOptions(), card.Name);
        try
        {
            ModelCardReader.CheckAgainst(card, model);
            var outputs = card.IsAnomaly
                ? new[] { card.Output.Score! }
                : card.Output.Label is { Length: > 0 } label ? new[] { label, card.Output.Probabilities! } : new[] { card.Output.Probabilities! };
            var executor = new OnnxBatchExecutor(model, card.Input.Name, outputs, batching.MaxBatchSize);
            return new ModelPackage(card, model, executor, new DynamicBatcher(executor, batching));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Batcher.DisposeAsync().ConfigureAwait(false);
        _executor.Dispose();
        _model.Dispose();
    }
}
