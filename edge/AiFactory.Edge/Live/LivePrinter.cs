using System.Diagnostics;
using System.Globalization;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Live;

/// <summary>Prints a line's verdicts: anomaly onsets and ends as they happen, a status line per station every second, a summary at the end.</summary>
internal sealed class LivePrinter(TextWriter console)
{
    private readonly Stopwatch _sinceStatus = Stopwatch.StartNew();
    private readonly Dictionary<string, AnomalyTrack> _anomaly = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassificationTrack> _parts = new(StringComparer.Ordinal);

    public void OnAnomaly(AnomalyResult r)
    {
        if (!_anomaly.TryGetValue(r.Station, out var track))
        {
            _anomaly[r.Station] = track = new AnomalyTrack();
        }

        track.Last = r;
        track.Samples++;
        if (r.Calibrating)
        {
            return;
        }

        if (r.Anomaly)
        {
            track.AnomalousSamples++;
        }

        if (r.Anomaly != track.InAnomaly)
        {
            track.InAnomaly = r.Anomaly;
            if (r.Anomaly)
            {
                track.Episodes++;
            }

            console.WriteLine(r.Anomaly
                ? $"{Stamp(r.Timestamp)}  {r.Station}  ANOMALY   score {r.Score:F3} > threshold {r.Threshold:F3}   {r.Model} {r.ModelVersion}"
                : $"{Stamp(r.Timestamp)}  {r.Station}  back to normal   score {r.Score:F3} ≤ threshold {r.Threshold:F3}");
        }
    }

    public void OnClassification(ClassificationResult r)
    {
        if (!_parts.TryGetValue(r.Station, out var track))
        {
            _parts[r.Station] = track = new ClassificationTrack();
        }

        track.Last = r;
        track.Parts++;
        var name = r.Error is null ? r.ClassName : "error";
        track.Classes[name] = track.Classes.GetValueOrDefault(name) + 1;
    }

    /// <summary>Called for every sample; prints the status lines once a second.</summary>
    public void Tick()
    {
        if (_sinceStatus.Elapsed < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _sinceStatus.Restart();
        foreach (var (_, track) in _anomaly)
        {
            var p = track.Last;
            console.WriteLine(p.Calibrating || double.IsNaN(p.Threshold)
                ? $"{Stamp(p.Timestamp)}  {p.Station}  calibrating {track.Samples} samples"
                : $"{Stamp(p.Timestamp)}  {p.Station}  {(p.Anomaly ? "ANOMALY" : "ok     ")}  score {p.Score,7:F3}  threshold {p.Threshold:F3}  latency {Ms(p.Timing)}");
        }

        foreach (var (_, track) in _parts)
        {
            var part = track.Last!;
            console.WriteLine(part.Error is null
                ? $"{Stamp(part.Timestamp)}  {part.Station}  part #{part.Index,-5} {part.ClassName,-16} p={part.Confidence:F2}  latency {Ms(part.Timing)}  ({part.Model} {part.ModelVersion})"
                : $"{Stamp(part.Timestamp)}  {part.Station}  part #{part.Index,-5} not scored: {part.Error}");
        }
    }

    public async Task SummaryAsync(TimeSpan elapsed, IEnumerable<ISampleSource> sources, IEnumerable<BatcherMetrics> models)
    {
        await console.WriteLineAsync($"--- summary after {elapsed.TotalSeconds:F0} s").ConfigureAwait(false);
        foreach (var (station, t) in _anomaly)
        {
            await console.WriteLineAsync($"{station}: {t.Samples} samples, {t.AnomalousSamples} anomalous after calibration in {t.Episodes} episode(s)").ConfigureAwait(false);
        }

        foreach (var (station, t) in _parts)
        {
            var classes = string.Join(", ", t.Classes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"));
            await console.WriteLineAsync($"{station}: {t.Parts} parts ({classes})").ConfigureAwait(false);
        }

        foreach (var s in sources)
        {
            await console.WriteLineAsync($"source {s.Name}: {s.Status.State}, {s.Status.Samples} values, {s.Status.DecodeErrors} decode errors, {s.Status.Reconnects} reconnects{(s.Status.LastError is { } e ? $"; last problem: {e}" : string.Empty)}").ConfigureAwait(false);
        }

        foreach (var m in models)
        {
            await console.WriteLineAsync($"model {m.Model}: {m.FramesCompleted} frames in {m.BatchesRun} runs, run time p50 {m.RunTime.PercentileMicroseconds(0.5)} µs, p99 {m.RunTime.PercentileMicroseconds(0.99)} µs, {m.TotalRejections} rejected").ConfigureAwait(false);
        }
    }

    /// <summary>Frames built and dropped per station, and every tag with a data-quality problem.</summary>
    public async Task QualityAsync(IEnumerable<FrameAligner> stations, TagTable tags)
    {
        foreach (var a in stations)
        {
            await console.WriteLineAsync($"frames {a.Station}: {a.FramesBuilt} built, {a.FramesDroppedMissing} dropped for a missing tag, {a.FramesDroppedStale} for a stale one").ConfigureAwait(false);
            foreach (var q in tags.Snapshot(a.Tags).Where(q => q.Total > 0))
            {
                await console.WriteLineAsync($"  tag {q.Tag}: {q.Stale} stale, {q.OutOfRange} out of range, {q.NaN} NaN, {q.Gaps} gaps, {q.DecodeErrors} decode errors").ConfigureAwait(false);
            }
        }
    }

    private static string Stamp(DateTimeOffset t) => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Ms(InferenceTiming t) => string.Create(CultureInfo.InvariantCulture, $"{t.Total.TotalMilliseconds:F2} ms");

    private sealed class AnomalyTrack
    {
        public AnomalyResult Last { get; set; }

        public long Samples { get; set; }

        public long AnomalousSamples { get; set; }

        public long Episodes { get; set; }

        public bool InAnomaly { get; set; }
    }

    private sealed class ClassificationTrack
    {
        public ClassificationResult? Last { get; set; }

        public long Parts { get; set; }

        public Dictionary<string, int> Classes { get; } = new(StringComparer.Ordinal);
    }
}
