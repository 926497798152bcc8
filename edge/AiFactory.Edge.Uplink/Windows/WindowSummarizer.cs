using AiFactory.Contracts;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Uplink.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Uplink.Windows;

/// <summary>
/// Turns the stations' verdicts into what goes to the hub: per station and fixed window (aligned to whole
/// multiples of the window length, by the injected clock) a <see cref="StationWindowSummary"/>, and one
/// <see cref="StationEvent"/> per anomalous frame or defective part. A result belongs to the window open when it
/// arrives. At each window's end the summaries and events are committed to the outbox together; a window with no
/// frames is skipped unless its data-quality counters moved. Raw sensor values are never part of either; they leave
/// the plant only for a station registered with raw tags (it opted in), as <see cref="StationRawChunk"/> records of
/// at most <see cref="MaxRawRowsPerChunk"/> frames committed with the window they fall in.
/// Results may come from any thread.
/// </summary>
public sealed class WindowSummarizer : IDisposable
{
    /// <summary>Frames per raw chunk record (a 10 s window of a 1 kHz station spans several chunks).</summary>
    public const int MaxRawRowsPerChunk = 1000;

    private readonly Lock _gate = new();
    private readonly Lock _appendGate = new();
    private readonly WindowSummarizerOptions _options;
    private readonly IOutboxWriter _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, StationTrack> _stations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Model, string Version)> _lastModel = new(StringComparer.Ordinal);
    private readonly List<(StationIdentity Station, DateTimeOffset Start, List<OutboxItem> Items)> _pending = [];
    private readonly long _windowTicks;
    private ITimer? _timer;
    private DateTimeOffset _windowStart;
    private long _summaries;
    private long _events;
    private long _rawChunks;
    private long _appendFailures;

    public WindowSummarizer(WindowSummarizerOptions options, IOutboxWriter outbox, TimeProvider? time = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outbox);
        if (options.Window < TimeSpan.FromSeconds(1) || TimeSpan.FromDays(1).Ticks % options.Window.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "The window must be at least 1 s and divide a day evenly (1 s, 5 s, 10 s, 1 min, ...), so windows align to the clock.");
        }

        _options = options;
        _outbox = outbox;
        _time = time ?? TimeProvider.System;
        _log = log ?? NullLogger.Instance;
        _windowTicks = options.Window.Ticks;
        _windowStart = Align(_time.GetUtcNow());
    }

    /// <summary>Window summaries committed to the outbox.</summary>
    public long SummariesWritten => Interlocked.Read(ref _summaries);

    /// <summary>Events committed to the outbox.</summary>
    public long EventsWritten => Interlocked.Read(ref _events);

    /// <summary>Raw chunks committed to the outbox (stations that opted in to raw upload).</summary>
    public long RawChunksWritten => Interlocked.Read(ref _rawChunks);

    /// <summary>Windows lost because the outbox could not store them (logged each time).</summary>
    public long AppendFailures => Interlocked.Read(ref _appendFailures);

    /// <summary>Results that carried no verdict (calibration samples, frames that could not be scored), per station.</summary>
    public long Skipped(string station)
    {
        lock (_gate)
        {
            return _stations.TryGetValue(station, out var track) ? track.Skipped : 0;
        }
    }

    /// <summary>Per station, in registration order: verdicts summarized, calibration samples, unscored results.</summary>
    public IReadOnlyList<StationUplinkCounts> Counts()
    {
        lock (_gate)
        {
            return [.. _stations.Values.Select(t => new StationUplinkCounts(t.Identity.StationId, t.Summarized, t.Calibration, t.NotScored))];
        }
    }

    /// <summary>Registers a station before its first result.</summary>
    /// <param name="passClasses">Classifier classes that count as pass; every other class is a defect.</param>
    /// <param name="quality">Cumulative data-quality counters per tag feeding the station; each summary carries the change since the last.</param>
    /// <param name="rawTags">The station's tags, in frame order, when it opted in to raw upload; null keeps its raw values in the plant.</param>
    public void AddStation(StationIdentity identity, string model, string modelVersion, IReadOnlyCollection<string>? passClasses = null, Func<IReadOnlyList<DataQualityCounters>>? quality = null, IReadOnlyList<string>? rawTags = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        lock (_gate)
        {
            if (!_stations.TryAdd(identity.StationId, new StationTrack(identity, new HashSet<string>(passClasses ?? [], StringComparer.Ordinal), quality) { RawTags = rawTags?.ToArray() }))
            {
                throw new ArgumentException($"station '{identity.StationId}' is registered twice", nameof(identity));
            }

            _lastModel[identity.StationId] = (model, modelVersion);
        }
    }

    /// <summary>Arms the timer that closes each window at its end.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _timer ??= _time.CreateTimer(_ => CloseDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm();
        }
    }

    public void OnAnomaly(in AnomalyResult r)
    {
        var anomaly = r.Anomaly;
        lock (_gate)
        {
            if (Track(r.Station, r.Calibrating && r.Error is null, r.Error is not null) is not { } track)
            {
                return;
            }

            var window = Accumulator(track, r.Model, r.ModelVersion);
            window.Add(pass: !anomaly, anomaly, className: null, r.Score, r.Timing.Total.TotalMilliseconds);
            track.Summarized++;
            if (anomaly)
            {
                var id = track.Identity;
                window.Events.Add(new StationEvent(id.CompanyId, id.PlantId, id.LineId, id.StationId, r.Timestamp, "anomaly", r.Score, null, r.Model, r.ModelVersion));
            }
        }
    }

    public void OnClassification(ClassificationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        lock (_gate)
        {
            if (Track(r.Station, calibrating: false, r.Error is not null || r.ClassIndex < 0) is not { } track)
            {
                return;
            }

            var pass = track.PassClasses.Contains(r.ClassName);
            var window = Accumulator(track, r.Model, r.ModelVersion);
            window.Add(pass, anomaly: false, r.ClassName, r.Confidence, r.Timing.Total.TotalMilliseconds);
            track.Summarized++;
            if (!pass)
            {
                var id = track.Identity;
                window.Events.Add(new StationEvent(id.CompanyId, id.PlantId, id.LineId, id.StationId, r.Timestamp, "defect", r.Confidence, r.ClassName, r.Model, r.ModelVersion));
            }
        }
    }

    /// <summary>
    /// A frame a station scored: kept as a raw row when the station opted in to raw upload, ignored otherwise.
    /// Values that are not finite (a tag without a usable value) travel as null.
    /// </summary>
    public void OnFrame(string station, DateTimeOffset time, ReadOnlySpan<double> values)
    {
        lock (_gate)
        {
            Roll(flush: false);
            if (!_stations.TryGetValue(station, out var track) || track.RawTags is not { } tags || values.Length != tags.Count)
            {
                return;
            }

            var row = new double?[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                row[i] = double.IsFinite(values[i]) ? values[i] : null;
            }

            track.RawRows.Add(new RawRow(time, row));
            if (track.RawRows.Count >= MaxRawRowsPerChunk)
            {
                CutRawChunk(track);
            }
        }
    }

    /// <summary>Commits every window that has ended by now (the timer calls this at each window's end).</summary>
    public void CloseDue() => Commit(flush: false);

    /// <summary>Commits the open window as it stands (at shutdown), with its nominal start and end.</summary>
    public void Flush() => Commit(flush: true);

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Commit(bool flush)
    {
        lock (_appendGate)
        {
            List<(StationIdentity Station, DateTimeOffset Start, List<OutboxItem> Items)> closed;
            lock (_gate)
            {
                Roll(flush);
                closed = [.. _pending];
                _pending.Clear();
                Arm();
            }

            foreach (var (station, start, items) in closed)
            {
                try
                {
                    _outbox.Append(items);
                    Interlocked.Add(ref _summaries, items.Count(i => i.Summary is not null));
                    Interlocked.Add(ref _events, items.Count(i => i.Event is not null));
                    Interlocked.Add(ref _rawChunks, items.Count(i => i.Raw is not null));
                }
                catch (Exception ex) when (ex is OutboxException or Microsoft.Data.Sqlite.SqliteException or IOException)
                {
                    Interlocked.Increment(ref _appendFailures);
                    UplinkLog.AppendFailed(_log, station.StationId, start, start.AddTicks(_windowTicks), ex.Message);
                }
            }
        }
    }

    private StationTrack? Track(string station, bool calibrating, bool notScored)
    {
        Roll(flush: false);
        if (!_stations.TryGetValue(station, out var track))
        {
            return null;
        }

        if (calibrating || notScored)
        {
            track.Calibration += calibrating ? 1 : 0;
            track.NotScored += notScored ? 1 : 0;
            return null;
        }

        return track;
    }

    private WindowAccumulator Accumulator(StationTrack track, string model, string version)
    {
        var open = track.Open;
        if (open.Count == 0 || open[^1].Model != model || open[^1].ModelVersion != version)
        {
            open.Add(new WindowAccumulator(model, version, _options.ScoreBounds, _options.LatencyBoundsMs));
            _lastModel[track.Identity.StationId] = (model, version);
        }

        return open[^1];
    }

    /// <summary>Moves the open window to <see cref="_pending"/> when it has ended (or when flushing).</summary>
    private void Roll(bool flush)
    {
        var now = _time.GetUtcNow();
        var end = _windowStart.AddTicks(_windowTicks);
        if (!flush && now < end)
        {
            return;
        }

        foreach (var track in _stations.Values)
        {
            var quality = QualityDelta(track);
            var items = new List<OutboxItem>();
            foreach (var window in track.Open)
            {
                items.Add(OutboxItem.Of(Summary(track.Identity, window.Model, window.ModelVersion, end, window, items.Count == 0 ? quality : [])));
                items.AddRange(window.Events.Select(OutboxItem.Of));
            }

            if (items.Count == 0 && quality.Count > 0)
            {
                var (model, version) = _lastModel[track.Identity.StationId];
                items.Add(OutboxItem.Of(Summary(track.Identity, model, version, end, new WindowAccumulator(model, version, _options.ScoreBounds, _options.LatencyBoundsMs), quality)));
            }

            track.Open.Clear();
            if (track.RawRows.Count > 0)
            {
                CutRawChunk(track);
            }

            items.AddRange(track.RawChunks.Select(OutboxItem.Of));
            track.RawChunks.Clear();
            if (items.Count > 0)
            {
                _pending.Add((track.Identity, _windowStart, items));
            }
        }

        _windowStart = flush && now < end ? end : Align(now);
    }

    private static void CutRawChunk(StationTrack track)
    {
        var id = track.Identity;
        track.RawChunks.Add(new StationRawChunk(id.CompanyId, id.PlantId, id.LineId, id.StationId, track.RawTags!, [.. track.RawRows]));
        track.RawRows.Clear();
    }

    private StationWindowSummary Summary(StationIdentity id, string model, string version, DateTimeOffset end, WindowAccumulator w, IReadOnlyList<DataQualityCounters> quality) =>
        new(
            _options.EdgeId,
            id.CompanyId,
            id.PlantId,
            id.LineId,
            id.StationId,
            model,
            version,
            _windowStart,
            end,
            w.Frames,
            w.Pass,
            w.Fail,
            new Dictionary<string, long>(w.Classes, StringComparer.Ordinal),
            w.Anomalies,
            w.Scores.ToData(),
            w.LatencyMs.ToData(),
            quality);

    /// <summary>The change of each tag's cumulative counters since the last close; a counter that went down was reset and counts from zero.</summary>
    private List<DataQualityCounters> QualityDelta(StationTrack track)
    {
        var result = new List<DataQualityCounters>();
        IReadOnlyList<DataQualityCounters> now;
        try
        {
            now = track.Quality?.Invoke() ?? [];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            UplinkLog.QualityFailed(_log, track.Identity.StationId, ex.Message);
            return result;
        }

        foreach (var current in now)
        {
            var before = track.LastQuality.GetValueOrDefault(current.Tag);
            var reset = before is not null && (current.Stale < before.Stale || current.OutOfRange < before.OutOfRange || current.NaN < before.NaN || current.Gaps < before.Gaps || current.DecodeErrors < before.DecodeErrors);
            var delta = before is null || reset
                ? current
                : new DataQualityCounters(current.Tag, current.Stale - before.Stale, current.OutOfRange - before.OutOfRange, current.NaN - before.NaN, current.Gaps - before.Gaps, current.DecodeErrors - before.DecodeErrors);
            track.LastQuality[current.Tag] = current;
            if (delta.Stale + delta.OutOfRange + delta.NaN + delta.Gaps + delta.DecodeErrors > 0)
            {
                result.Add(delta);
            }
        }

        return result;
    }

    private void Arm() => _timer?.Change(_windowStart.AddTicks(_windowTicks) - _time.GetUtcNow() is var due && due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);

    private DateTimeOffset Align(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % _windowTicks), TimeSpan.Zero);
}
