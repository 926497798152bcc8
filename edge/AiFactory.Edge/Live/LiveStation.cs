using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;

namespace AiFactory.Edge.Live;

/// <summary>One configured station at run time: its assembler and its scorer (anomaly or classifier).</summary>
internal sealed class LiveStation
{
    private readonly AnomalyStation? _anomaly;
    private readonly ClassifierStation? _classifier;

    public LiveStation(StationDefinition definition, ModelPackage package, TagTable tags, Action<AnomalyResult> onAnomaly, Action<ClassificationResult> onClassification)
    {
        Definition = definition;
        Aligner = new FrameAligner(definition.Name, definition.OrderedTags, definition.Trigger, definition.Alignment, tags);
        if (definition.Card.IsAnomaly)
        {
            _anomaly = new AnomalyStation(definition.Name, package.Card, package.Batcher, onAnomaly, maxInFlight: MaxInFlight, stride: definition.Stride);
        }
        else
        {
            _classifier = new ClassifierStation(definition.Name, package.Card, package.Batcher, onClassification, maxInFlight: MaxInFlight);
        }
    }

    /// <summary>
    /// Frames of one station that may wait in the batcher at once: the routing loop goes on with other stations'
    /// samples meanwhile, so frames of many stations share batches; results still leave in each station's order.
    /// </summary>
    public const int MaxInFlight = 64;

    public StationDefinition Definition { get; }

    public FrameAligner Aligner { get; }

    public ValueTask AddAsync(DateTimeOffset timestamp, double[] values) =>
        _anomaly?.AddAsync(timestamp, values) ?? _classifier!.AddAsync(timestamp, values);

    public int InFlight => _anomaly?.InFlight ?? _classifier!.InFlight;

    public ValueTask<int> DeliverCompletedAsync() => _anomaly?.DeliverCompletedAsync() ?? _classifier!.DeliverCompletedAsync();

    public ValueTask FlushAsync() => _anomaly?.FlushAsync() ?? _classifier!.FlushAsync();
}
