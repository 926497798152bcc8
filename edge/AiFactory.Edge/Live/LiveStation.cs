using AiFactory.Contracts;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Frames;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Live;

/// <summary>One configured station at run time: its frame aligner, its tags' conditioners, and its scorer (anomaly or classifier).</summary>
public sealed class LiveStation
{
    private readonly AnomalyStation? _anomaly;
    private readonly ClassifierStation? _classifier;
    private readonly TagConditioner[] _tags;

    /// <param name="tags">The line's conditioners by tag name; must hold every tag the station uses.</param>
    public LiveStation(StationDefinition definition, ModelPackage package, IReadOnlyDictionary<string, TagConditioner> tags, Action<AnomalyResult> onAnomaly, Action<ClassificationResult> onPart)
    {
        Definition = definition;
        var features = definition.Card.Input.Features.Select(f => definition.FeatureTags[f]).ToArray();
        Aligner = new FrameAligner(definition.Name, features, definition.Frame);
        _tags = features.Append(definition.Frame.Trigger).OfType<string>().Distinct(StringComparer.Ordinal).Select(t => tags[t]).ToArray();
        if (definition.Card.IsAnomaly)
        {
            _anomaly = new AnomalyStation(definition.Name, package.Card, package.Batcher, onAnomaly, maxInFlight: 1, stride: definition.Frame.Stride);
        }
        else
        {
            _classifier = new ClassifierStation(definition.Name, package.Card, package.Batcher, onPart, maxInFlight: 1, stride: definition.Frame.Stride);
        }
    }

    public StationDefinition Definition { get; }

    public FrameAligner Aligner { get; }

    /// <summary>The conditioners of the tags this station uses (features, then trigger).</summary>
    public IReadOnlyList<TagConditioner> Tags => _tags;

    public ValueTask AddAsync(DateTimeOffset timestamp, double[] values) =>
        _anomaly?.AddAsync(timestamp, values) ?? _classifier!.AddAsync(timestamp, values);

    public ValueTask FlushAsync() => _anomaly?.FlushAsync() ?? _classifier!.FlushAsync();

    /// <summary>Cumulative data-quality counts of each tag this station uses, since the tag was first configured.</summary>
    public IReadOnlyList<DataQualityCounters> DataQuality()
    {
        var result = new DataQualityCounters[_tags.Length];
        for (var i = 0; i < _tags.Length; i++)
        {
            var c = _tags[i].Counters;
            result[i] = new DataQualityCounters(_tags[i].Spec.Name, c.Stale, c.OutOfRange, c.NaN, c.Gaps, c.DecodeErrors);
        }

        return result;
    }
}
