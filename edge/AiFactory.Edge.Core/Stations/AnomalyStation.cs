using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Core.Stations;

/// <summary>
/// Scores one asset's sample stream with an anomaly model, as its card says: the first
/// <c>calibration.samples</c> samples are buffered and give the asset's normalisation and threshold,
/// then are scored themselves; every later sample is scored as it comes. Results leave in sample order
/// through the callback; up to <c>maxInFlight</c> frames wait in the batcher at once.
/// </summary>
public sealed class AnomalyStation
{
    private readonly ModelCard _card;
    private readonly DynamicBatcher _batcher;
    private readonly Action<AnomalyResult> _onResult;
    private readonly int _features;
    private readonly int _calibrationSamples;
    private readonly FrameWindow _window;
    private readonly ScoreSmoother _smoother;
    private readonly InFlightRing<Pending> _inFlight;
    private readonly List<double[]> _calibration = [];
    private readonly List<Pending> _calibrationMeta = [];
    private readonly List<double> _calibrationRaw = [];
    private readonly double[] _lastGood;
    private readonly bool[] _hasGood;
    private readonly double[] _sample;
    private readonly float[] _normalised;
    private readonly float[] _frame;
    private FeatureNormaliser? _normaliser;
    private double _threshold = double.NaN;
    private long _index;
    private readonly int _stride;

    /// <param name="stride">Score every <paramref name="stride"/>-th window (1 = every sample); every sample still enters the window.</param>
    public AnomalyStation(string station, ModelCard card, DynamicBatcher batcher, Action<AnomalyResult> onResult, int maxInFlight = 256, int stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        _stride = stride;
        if (!card.IsAnomaly || card.Calibration is null)
        {
            throw new ArgumentException($"station '{station}': model '{card.Name}' is a {card.Task} model; an anomaly station needs an anomaly model with calibration");
        }

        Station = station;
        _card = card;
        _batcher = batcher;
        _onResult = onResult;
        _features = card.Input.Features.Count;
        _calibrationSamples = card.Calibration.Samples;
        _window = new FrameWindow(_features, card.Input.Window);
        _smoother = new ScoreSmoother(card.Postprocess);
        _inFlight = new InFlightRing<Pending>(Math.Max(1, maxInFlight), batcher.ResultLength);
        _lastGood = new double[_features];
        _hasGood = new bool[_features];
        _sample = new double[_features];
        _normalised = new float[_features];
        _frame = new float[_window.FrameLength];
    }

    public string Station { get; }

    public StationCounters Counters { get; } = new();

    public bool Calibrating => _normaliser is null;

    public double Threshold => _threshold;

    /// <summary>Adds the next sample (values in the card's feature order).</summary>
    public async ValueTask AddAsync(DateTimeOffset timestamp, double[] values, CancellationToken cancellationToken = default)
    {
        if (values.Length != _features)
        {
            throw new ArgumentException($"station '{Station}': a sample needs {_features} values ({string.Join(", ", _card.Input.Features)}), got {values.Length}");
        }

        Counters.Sample();
        var imputed = Impute(values, _sample);
        var meta = new Pending(_index++, timestamp, imputed, Calibrating);
        if (Calibrating)
        {
            _calibration.Add((double[])_sample.Clone());
            _calibrationMeta.Add(meta);
            if (_calibration.Count == _calibrationSamples)
            {
                await CalibrateAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await SubmitAsync(_sample, meta, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Frames submitted and not yet delivered.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Delivers, in order, the results already there without waiting for any; answers how many.</summary>
    public ValueTask<int> DeliverCompletedAsync() => _inFlight.DeliverCompletedAsync(Deliver);

    /// <summary>Waits for every frame in flight and delivers its result.</summary>
    public async ValueTask FlushAsync()
    {
        while (_inFlight.Count > 0)
        {
            Deliver(await _inFlight.TakeOldestAsync().ConfigureAwait(false));
        }
    }

    private async ValueTask CalibrateAsync(CancellationToken cancellationToken)
    {
        _normaliser = _card.Normalisation.Kind == "per_asset"
            ? FeatureNormaliser.FromCalibration(_calibration, _features, _card.Normalisation.StdFloor)
            : FeatureNormaliser.ForCard(_card);
        for (var i = 0; i < _calibration.Count; i++)
        {
            var sample = _calibration[i];
            for (var f = 0; f < _features; f++)
            {
                // A feature with no good value yet stands at the asset's mean.
                if (!double.IsFinite(sample[f]))
                {
                    sample[f] = _normaliser.Mean[f];
                }
            }

            await SubmitAsync(sample, _calibrationMeta[i], cancellationToken).ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);
        var smoothed = new double[_calibrationRaw.Count];
        for (var i = 0; i < smoothed.Length; i++)
        {
            smoothed[i] = _smoother.Next(_calibrationRaw[i]);
        }

        _threshold = ThresholdRule.Compute(_card.Calibration!.Threshold, smoothed);
        var scored = _calibrationMeta.Where(m => m.Index % _stride == 0).ToList();
        for (var i = 0; i < smoothed.Length; i++)
        {
            Emit(scored[i], _calibrationRaw[i], smoothed[i], default, null);
        }

        _calibration.Clear();
        _calibrationMeta.Clear();
        _calibrationRaw.Clear();
    }

    private async ValueTask SubmitAsync(double[] sample, Pending meta, CancellationToken cancellationToken)
    {
        if (_inFlight.IsFull)
        {
            Deliver(await _inFlight.TakeOldestAsync().ConfigureAwait(false));
        }

        _normaliser!.Apply(sample, _normalised);
        _window.Push(_normalised, _frame);
        if (meta.Index % _stride != 0)
        {
            // Between strides the sample only moves the window.
            return;
        }

        _inFlight.Submit(_batcher, _frame, meta, cancellationToken);
    }

    private void Deliver(InFlightRing<Pending>.Completed done)
    {
        var raw = done.Error is null ? done.Result[0] : double.NaN;
        if (done.Meta.Calibrating)
        {
            // Calibration frames wait for the threshold; CalibrateAsync emits them.
            _calibrationRaw.Add(raw);
            return;
        }

        var smoothed = done.Error is null ? _smoother.Next(raw) : double.NaN;
        Emit(done.Meta, raw, smoothed, done.Timing, done.Error?.Message);
    }

    private void Emit(Pending meta, double raw, double smoothed, InferenceTiming timing, string? error)
    {
        var anomaly = error is null && smoothed > _threshold;
        if (error is not null || !double.IsFinite(raw))
        {
            Counters.Failure();
            error ??= $"station '{Station}': model '{_card.Name}' returned a non-finite score";
        }

        if (anomaly)
        {
            Counters.Anomaly();
        }

        _onResult(new AnomalyResult(Station, _card.Name, _card.Version, meta.Index, meta.Timestamp, raw, smoothed, _threshold, anomaly, meta.Calibrating, meta.Imputed, timing, error));
    }

    private bool Impute(double[] values, double[] target)
    {
        var imputed = false;
        for (var f = 0; f < _features; f++)
        {
            var v = values[f];
            if (double.IsFinite(v))
            {
                _lastGood[f] = v;
                _hasGood[f] = true;
                target[f] = v;
                continue;
            }

            Counters.NonFinite();
            imputed = true;
            target[f] = _hasGood[f] ? _lastGood[f] : (_normaliser is null ? double.NaN : _normaliser.Mean[f]);
        }

        return imputed;
    }

    private readonly record struct Pending(long Index, DateTimeOffset Timestamp, bool Imputed, bool Calibrating);
}
