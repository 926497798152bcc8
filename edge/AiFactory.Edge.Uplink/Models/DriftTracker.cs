using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Models;

/// <summary>
/// A station's input distributions for drift: the first <c>calibration</c> frames give each feature's mean and standard
/// deviation (as per-asset normalisation does) and the calibration histogram of their normalised values; every later
/// frame goes into the live histogram, normalised the same way.
/// </summary>
public sealed class DriftTracker
{
    private readonly IReadOnlyList<string> _features;
    private readonly int _calibration;
    private readonly List<double[]> _first = [];
    private readonly MergeableHistogram[] _calibrated;
    private readonly MergeableHistogram[] _live;
    private double[]? _mean;
    private double[]? _std;

    public DriftTracker(IReadOnlyList<string> features, int calibrationFrames)
    {
        _features = features;
        _calibration = Math.Max(2, calibrationFrames);
        _calibrated = [.. features.Select(_ => new MergeableHistogram(FeatureDistribution.ZBounds))];
        _live = [.. features.Select(_ => new MergeableHistogram(FeatureDistribution.ZBounds))];
    }

    public void Add(double[] values)
    {
        if (values.Length != _features.Count)
        {
            return;
        }

        if (_mean is null)
        {
            _first.Add((double[])values.Clone());
            if (_first.Count == _calibration)
            {
                Calibrate();
            }

            return;
        }

        Record(_live, values);
    }

    public IReadOnlyList<FeatureDistribution> Snapshot() =>
        _mean is null ? [] : [.. _features.Select((f, i) => new FeatureDistribution(f, _calibrated[i].ToData(), _live[i].ToData()))];

    private void Calibrate()
    {
        var n = _features.Count;
        _mean = new double[n];
        _std = new double[n];
        for (var f = 0; f < n; f++)
        {
            var good = _first.Select(v => v[f]).Where(double.IsFinite).ToList();
            _mean[f] = good.Count == 0 ? 0 : good.Average();
            var variance = good.Count == 0 ? 0 : good.Sum(v => (v - _mean[f]) * (v - _mean[f])) / good.Count;
            _std[f] = Math.Max(Math.Sqrt(variance), 1e-6);
        }

        foreach (var v in _first)
        {
            Record(_calibrated, v);
        }

        _first.Clear();
    }

    private void Record(MergeableHistogram[] into, double[] values)
    {
        for (var f = 0; f < values.Length; f++)
        {
            if (double.IsFinite(values[f]))
            {
                into[f].Record((values[f] - _mean![f]) / _std![f]);
            }
        }
    }
}
