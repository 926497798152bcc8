using AiFactory.Contracts;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Uplink.Models;

/// <summary>
/// One station's models as its edge reports them to the hub: production and shadow figures, agreement on the frames
/// both scored (matched by the frame's index in the station's stream), failures, and input drift. Fed on the routing
/// thread, read by the report loop: every call takes the lock.
/// </summary>
public sealed class StationModelTracker(string line, string station, string model, ModelRunCounter production, ModelRunCounter? shadow, DriftTracker drift)
{
    private const int MaxPending = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, bool> _productionVerdicts = [];
    private readonly Dictionary<long, bool> _shadowVerdicts = [];
    private long _compared;
    private long _agreed;

    public string Line => line;

    public string Station => station;

    public string Model => model;

    public string? ProductionPackage => production.PackageId;

    public string? ShadowPackage => shadow?.PackageId;

    /// <summary>An anomaly verdict of production or of the shadow candidate; calibration samples carry none and are left out.</summary>
    public void OnAnomaly(in AnomalyResult r, bool isShadow)
    {
        if (!r.Calibrating)
        {
            Verdict(isShadow, r.Index, r.Error is null && double.IsFinite(r.RawScore) ? r.Score : null, r.Anomaly, r.Timing.Total);
        }
    }

    /// <summary>A classifier's verdict; <paramref name="defect"/>: its class is not one of the station's pass classes.</summary>
    public void OnClassification(ClassificationResult r, bool defect, bool isShadow)
    {
        ArgumentNullException.ThrowIfNull(r);
        Verdict(isShadow, r.Index, r.Error is null ? r.Confidence : null, defect, r.Timing.Total);
    }

    private void Verdict(bool isShadow, long index, double? score, bool positive, TimeSpan latency)
    {
        if (!isShadow)
        {
            Record(production, _productionVerdicts, _shadowVerdicts, index, score, positive, latency);
        }
        else if (shadow is not null)
        {
            Record(shadow, _shadowVerdicts, _productionVerdicts, index, score, positive, latency);
        }
    }

    public void Frame(double[] values)
    {
        lock (_lock)
        {
            drift.Add(values);
        }
    }

    /// <summary>Frames production failed to score and frames it scored, for the edge's own rollback.</summary>
    public (long Errors, long Frames) ProductionHealth()
    {
        lock (_lock)
        {
            return (production.Errors, production.Frames);
        }
    }

    public StationModelReport Report(IReadOnlyList<ModelFailure> failures)
    {
        lock (_lock)
        {
            return new StationModelReport(line, station, model, production.ToStats(), shadow?.ToStats(), _compared, _agreed, failures, drift.Snapshot());
        }
    }

    private void Record(ModelRunCounter counter, Dictionary<long, bool> mine, Dictionary<long, bool> other, long index, double? score, bool positive, TimeSpan latency)
    {
        lock (_lock)
        {
            if (score is not { } s)
            {
                counter.Failed();
                return;
            }

            counter.Scored(s, positive, latency);
            if (shadow is null)
            {
                return;
            }

            if (other.Remove(index, out var theirs))
            {
                _compared++;
                if (theirs == positive)
                {
                    _agreed++;
                }
            }
            else if (mine.Count < MaxPending)
            {
                mine[index] = positive;
            }
        }
    }
}
