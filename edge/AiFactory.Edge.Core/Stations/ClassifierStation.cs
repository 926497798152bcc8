using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Core.Stations;

/// <summary>
/// Scores per-part feature vectors with a classification model. Results leave in part order through the
/// callback. The batcher's result row is [label, p0..pC-1] when the card names a label output, else [p0..pC-1].
/// </summary>
public sealed class ClassifierStation
{
    private readonly ModelCard _card;
    private readonly DynamicBatcher _batcher;
    private readonly Action<ClassificationResult> _onResult;
    private readonly int _features;
    private readonly int _classes;
    private readonly int _probabilityOffset;
    private readonly FeatureNormaliser _normaliser;
    private readonly FrameWindow _window;
    private readonly InFlightRing<Pending> _inFlight;
    private readonly double[] _lastGood;
    private readonly double[] _sample;
    private readonly float[] _normalised;
    private readonly float[] _frame;
    private long _index;

    public ClassifierStation(string station, ModelCard card, DynamicBatcher batcher, Action<ClassificationResult> onResult, int maxInFlight = 256)
    {
        if (!card.IsClassification)
        {
            throw new ArgumentException($"station '{station}': model '{card.Name}' is a {card.Task} model; a classifier station needs a classification model");
        }

        if (card.Normalisation.Kind == "per_asset")
        {
            throw new ArgumentException($"station '{station}': model '{card.Name}': per_asset normalisation is for anomaly models with calibration");
        }

        Station = station;
        _card = card;
        _batcher = batcher;
        _onResult = onResult;
        _features = card.Input.Features.Count;
        _classes = card.Output.Classes.Count;
        _probabilityOffset = card.Output.Label is { Length: > 0 } ? 1 : 0;
        if (batcher.ResultLength != _classes + _probabilityOffset)
        {
            throw new ArgumentException($"station '{Station}': model '{card.Name}' writes {batcher.ResultLength} values per result, expected {_classes + _probabilityOffset}");
        }

        _normaliser = FeatureNormaliser.ForCard(card);
        _window = new FrameWindow(_features, card.Input.Window);
        _inFlight = new InFlightRing<Pending>(Math.Max(1, maxInFlight), batcher.ResultLength);
        _lastGood = new double[_features];
        _sample = new double[_features];
        _normalised = new float[_features];
        _frame = new float[_window.FrameLength];
    }

    public string Station { get; }

    public StationCounters Counters { get; } = new();

    /// <summary>Adds the next part's features (in the card's feature order).</summary>
    public async ValueTask AddAsync(DateTimeOffset timestamp, double[] values, CancellationToken cancellationToken = default)
    {
        if (values.Length != _features)
        {
            throw new ArgumentException($"station '{Station}': a part needs {_features} values ({string.Join(", ", _card.Input.Features)}), got {values.Length}");
        }

        Counters.Sample();
        var imputed = false;
        for (var f = 0; f < _features; f++)
        {
            if (double.IsFinite(values[f]))
            {
                _lastGood[f] = values[f];
                _sample[f] = values[f];
            }
            else
            {
                // Hold the last good value (0 before any) so one bad reading does not lose the part's verdict.
                Counters.NonFinite();
                imputed = true;
                _sample[f] = _lastGood[f];
            }
        }

        if (_inFlight.IsFull)
        {
            Deliver(await _inFlight.TakeOldestAsync().ConfigureAwait(false));
        }

        _normaliser.Apply(_sample, _normalised);
        _window.Push(_normalised, _frame);
        _inFlight.Submit(_batcher, _frame, new Pending(_index++, timestamp, imputed), cancellationToken);
    }

    /// <summary>Frames submitted and not yet delivered.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Delivers, in order, the results already there without waiting for any; answers how many.</summary>
    public ValueTask<int> DeliverCompletedAsync() => _inFlight.DeliverCompletedAsync(Deliver);

    public async ValueTask FlushAsync()
    {
        while (_inFlight.Count > 0)
        {
            Deliver(await _inFlight.TakeOldestAsync().ConfigureAwait(false));
        }
    }

    private void Deliver(InFlightRing<Pending>.Completed done)
    {
        var meta = done.Meta;
        if (done.Error is not null)
        {
            Counters.Failure();
            _onResult(new ClassificationResult(Station, _card.Name, _card.Version, meta.Index, meta.Timestamp, -1, string.Empty, new float[_classes], meta.Imputed, done.Timing, done.Error.Message));
            return;
        }

        var probabilities = done.Result.AsSpan(_probabilityOffset, _classes).ToArray();
        var classIndex = _probabilityOffset == 1 ? (int)done.Result[0] : ArgMax(probabilities);
        if ((uint)classIndex >= (uint)_classes)
        {
            Counters.Failure();
            _onResult(new ClassificationResult(Station, _card.Name, _card.Version, meta.Index, meta.Timestamp, -1, string.Empty, probabilities, meta.Imputed, done.Timing, $"model '{_card.Name}' returned label {classIndex}, outside 0..{_classes - 1}"));
            return;
        }

        _onResult(new ClassificationResult(Station, _card.Name, _card.Version, meta.Index, meta.Timestamp, classIndex, _card.Output.Classes[classIndex], probabilities, meta.Imputed, done.Timing, null));
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private readonly record struct Pending(long Index, DateTimeOffset Timestamp, bool Imputed);
}
