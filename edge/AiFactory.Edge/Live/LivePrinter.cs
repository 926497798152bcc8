using System.Diagnostics;
using System.Globalization;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Live;

/// <summary>Prints the simulated line's verdicts: anomaly onsets and ends as they happen, a status line per station every second, a summary at the end.</summary>
internal sealed class LivePrinter(TextWriter console, ModelCard pumpCard, ModelCard plateCard)
{
    private readonly Stopwatch _sinceStatus = Stopwatch.StartNew();
    private readonly Dictionary<string, int> _classCounts = new(StringComparer.Ordinal);
    private AnomalyResult _lastPump;
    private ClassificationResult? _lastPart;
    private bool _inAnomaly;
    private long _pumpSamples;
    private long _anomalySamples;
    private long _anomalyEpisodes;
    private long _parts;

    public void OnAnomaly(AnomalyResult r)
    {
        _lastPump = r;
        _pumpSamples++;
        if (r.Calibrating)
        {
            return;
        }

        if (r.Anomaly)
        {
            _anomalySamples++;
        }

        if (r.Anomaly != _inAnomaly)
        {
            _inAnomaly = r.Anomaly;
            if (r.Anomaly)
            {
                _anomalyEpisodes++;
            }

            Write(r.Anomaly
                ? $"{Stamp(r.Timestamp)}  {r.Station}  ANOMALY   score {r.Score:F3} > threshold {r.Threshold:F3}   {pumpCard.Name} {pumpCard.Version}"
                : $"{Stamp(r.Timestamp)}  {r.Station}  back to normal   score {r.Score:F3} ≤ threshold {r.Threshold:F3}");
        }
    }

    public void OnPart(ClassificationResult r)
    {
        _lastPart = r;
        _parts++;
        var name = r.Error is null ? r.ClassName : "error";
        _classCounts[name] = _classCounts.GetValueOrDefault(name) + 1;
    }

    /// <summary>Called for every sample; prints the status lines once a second.</summary>
    public void Tick()
    {
        if (_sinceStatus.Elapsed < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _sinceStatus.Restart();
        var p = _lastPump;
        if (_pumpSamples > 0)
        {
            Write(p.Calibrating || double.IsNaN(p.Threshold)
                ? $"{Stamp(p.Timestamp)}  {p.Station}  calibrating {_pumpSamples}/{pumpCard.Calibration!.Samples}"
                : $"{Stamp(p.Timestamp)}  {p.Station}  {(p.Anomaly ? "ANOMALY" : "ok     ")}  score {p.Score,7:F3}  threshold {p.Threshold:F3}  latency {Ms(p.Timing)}");
        }

        if (_lastPart is { } part)
        {
            Write(part.Error is null
                ? $"{Stamp(part.Timestamp)}  {part.Station}  part #{part.Index,-5} {part.ClassName,-16} p={part.Confidence:F2}  latency {Ms(part.Timing)}  ({plateCard.Name} {plateCard.Version})"
                : $"{Stamp(part.Timestamp)}  {part.Station}  part #{part.Index,-5} not scored: {part.Error}");
        }
    }

    public async Task SummaryAsync(TimeSpan elapsed, BatcherMetrics pump, BatcherMetrics plate)
    {
        await console.WriteLineAsync($"--- summary after {elapsed.TotalSeconds:F0} s").ConfigureAwait(false);
        await console.WriteLineAsync($"pump-1: {_pumpSamples} samples, {_anomalySamples} anomalous after calibration in {_anomalyEpisodes} episode(s); inference p50 {pump.RunTime.PercentileMicroseconds(0.5)} µs, p99 {pump.RunTime.PercentileMicroseconds(0.99)} µs").ConfigureAwait(false);
        var classes = string.Join(", ", _classCounts.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"));
        await console.WriteLineAsync($"plate-1: {_parts} parts ({classes}); inference p50 {plate.RunTime.PercentileMicroseconds(0.5)} µs, p99 {plate.RunTime.PercentileMicroseconds(0.99)} µs").ConfigureAwait(false);
    }

    private static string Stamp(DateTimeOffset t) => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Ms(InferenceTiming t) => string.Create(CultureInfo.InvariantCulture, $"{t.Total.TotalMilliseconds:F2} ms");

    private void Write(string line) => console.WriteLine(line);
}
