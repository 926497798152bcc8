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
    private readonly AnomalyStation? _shadowAnomaly;
    private readonly ClassifierStation? _shadowClassifier;

    /// <param name="shadow">A candidate that scores the same samples beside production; its results go only to the shadow callbacks.</param>
    public LiveStation(
        StationDefinition definition, ModelPackage package, TagTable tags, Action<AnomalyResult> onAnomaly, Action<ClassificationResult> onClassification,
        ModelPackage? shadow = null, Action<AnomalyResult>? onShadowAnomaly = null, Action<ClassificationResult>? onShadowClassification = null)
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

        if (shadow is null)
        {
            return;
        }

        // Checked before a deployment applies: the candidate takes the same features, so it sees exactly production's samples.
        if (shadow.Card.IsAnomaly)
        {
            _shadowAnomaly = new AnomalyStation(definition.Name, shadow.Card, shadow.Batcher, onShadowAnomaly ?? (_ => { }), maxInFlight: MaxInFlight, stride: definition.Stride);
        }
        else
        {
            _shadowClassifier = new ClassifierStation(definition.Name, shadow.Card, shadow.Batcher, onShadowClassification ?? (_ => { }), maxInFlight: MaxInFlight);
        }
    }

    /// <summary>
    /// Frames of one station that may wait in the batcher at once: the routing loop goes on with other stations'
    /// samples meanwhile, so frames of many stations share batches; results still leave in each station's order.
    /// </summary>
    public const int MaxInFlight = 64;

    public StationDefinition Definition { get; }

    public FrameAligner Aligner { get; private set; }

    /// <summary>
    /// Takes over the frame assembly of the station this one replaces when both build frames from the same tags the
    /// same way (a model swap): the tag values of a frame being assembled at the swap are not lost.
    /// </summary>
    public void ContinueFrom(LiveStation previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var (was, now) = (previous.Definition, Definition);
        if (was.OrderedTags.SequenceEqual(now.OrderedTags, StringComparer.Ordinal) && was.Trigger == now.Trigger && was.Alignment == now.Alignment)
        {
            Aligner = previous.Aligner;
        }
    }

    public async ValueTask AddAsync(DateTimeOffset timestamp, double[] values)
    {
        await (_anomaly?.AddAsync(timestamp, values) ?? _classifier!.AddAsync(timestamp, values)).ConfigureAwait(false);
        if (_shadowAnomaly is not null || _shadowClassifier is not null)
        {
            await (_shadowAnomaly?.AddAsync(timestamp, values) ?? _shadowClassifier!.AddAsync(timestamp, values)).ConfigureAwait(false);
        }
    }

    public int InFlight => (_anomaly?.InFlight ?? _classifier!.InFlight) + (_shadowAnomaly?.InFlight ?? _shadowClassifier?.InFlight ?? 0);

    public async ValueTask<int> DeliverCompletedAsync()
    {
        var delivered = await (_anomaly?.DeliverCompletedAsync() ?? _classifier!.DeliverCompletedAsync()).ConfigureAwait(false);
        if (_shadowAnomaly is not null || _shadowClassifier is not null)
        {
            delivered += await (_shadowAnomaly?.DeliverCompletedAsync() ?? _shadowClassifier!.DeliverCompletedAsync()).ConfigureAwait(false);
        }

        return delivered;
    }

    public async ValueTask FlushAsync()
    {
        await (_anomaly?.FlushAsync() ?? _classifier!.FlushAsync()).ConfigureAwait(false);
        if (_shadowAnomaly is not null || _shadowClassifier is not null)
        {
            await (_shadowAnomaly?.FlushAsync() ?? _shadowClassifier!.FlushAsync()).ConfigureAwait(false);
        }
    }
}
