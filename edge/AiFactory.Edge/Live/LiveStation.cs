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

    public LiveStation(StationDefinition definition, ModelPackage package, TagTable tags, int maxInFlight, Action<AnomalyResult> onAnomaly, Action<ClassificationResult> onPart)
    {
        Definition = definition;
        Aligner = new FrameAligner(definition.Name, definition.OrderedTags, definition.Trigger, definition.Alignment, tags);
        if (definition.Card.IsAnomaly)
        {
            _anomaly = new AnomalyStation(definition.Name, package.Card, package.Batcher, onAnomaly, maxInFlight);
        }
        else
        {
            _classifier = new ClassifierStation(definition.Name, package.Card, package.Batcher, onPart, maxInFlight);
        }
    }

    public StationDefinition Definition { get; }

    public FrameAligner Aligner { get; }

    public ValueTask AddAsync(DateTimeOffset timestamp, double[] values) =>
        _anomaly?.AddAsync(timestamp, values) ?? _classifier!.AddAsync(timestamp, values);

    public ValueTask FlushAsync() => _anomaly?.FlushAsync() ?? _classifier!.FlushAsync();
}
