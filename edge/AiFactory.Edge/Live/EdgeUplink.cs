using AiFactory.Contracts;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Sending;
using AiFactory.Edge.Uplink.Windows;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// What `run` does with an <c>uplink:</c> section: the stations' verdicts go into per-window summaries and events,
/// committed to the SQLite outbox, which a background loop drains to the hub. On stop the open window is committed
/// and the loop gets a few seconds to deliver it; whatever is left waits in the outbox for the next start.
/// </summary>
internal sealed class EdgeUplink : IAsyncDisposable
{
    private static readonly TimeSpan FinalDrain = TimeSpan.FromSeconds(5);

    private readonly UplinkDefinition _definition;
    private readonly OutboxStore _outbox;
    private readonly WindowSummarizer _summarizer;
    private readonly HttpClient _http;
    private readonly UplinkMetrics _metrics;
    private readonly UplinkService _service;
    private readonly HashSet<string> _rawStations = new(StringComparer.Ordinal);

    private EdgeUplink(UplinkDefinition definition, OutboxStore outbox, WindowSummarizer summarizer, HttpClient http, UplinkMetrics metrics, UplinkService service)
    {
        _definition = definition;
        _outbox = outbox;
        _summarizer = summarizer;
        _http = http;
        _metrics = metrics;
        _service = service;
    }

    /// <param name="quality">Per station, its tags' cumulative data-quality counters; null while the edge does not count them per tag.</param>
    public static async Task<EdgeUplink> StartAsync(UplinkDefinition definition, IReadOnlyList<StationDefinition> stations, ILoggerFactory logs, Func<string, Func<IReadOnlyList<DataQualityCounters>>?>? quality = null)
    {
        var clock = DrillClock.From(Environment.GetEnvironmentVariable(DrillClock.Variable), TimeProvider.System);
        var outbox = OutboxStore.Open(definition.Outbox, logs.CreateLogger<OutboxStore>(), clock);
        var summarizer = new WindowSummarizer(new WindowSummarizerOptions { EdgeId = definition.Edge.EdgeId, Window = definition.Window }, outbox, clock, logs.CreateLogger<WindowSummarizer>());
        foreach (var s in stations)
        {
            var place = definition.Stations[s.Name];
            summarizer.AddStation(new StationIdentity(definition.Edge.Company, definition.Edge.Plant, place.Line, s.Name), s.Card.Name, s.Card.Version, place.PassClasses, quality?.Invoke(s.Name), place.RawUpload ? s.OrderedTags : null);
        }

        var options = new UplinkOptions
        {
            HubUrl = definition.Hub,
            ApiKey = definition.ApiKey,
            EdgeId = definition.Edge.EdgeId,
            MaxBatchRecords = definition.BatchRecords,
            MaxBatchBytes = definition.BatchBytes,
            BackoffCap = definition.BackoffCap,
            RequestTimeout = definition.RequestTimeout,
        };
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var metrics = new UplinkMetrics(definition.Edge.EdgeId, outbox);
        var sender = new UplinkSender(outbox, new UplinkClient(http, options), options, metrics, logs.CreateLogger<UplinkSender>());
        var service = new UplinkService(sender, options, logs.CreateLogger<UplinkService>());
        summarizer.Start();
        await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
        var uplink = new EdgeUplink(definition, outbox, summarizer, http, metrics, service);
        foreach (var s in stations.Where(s => definition.Stations[s.Name].RawUpload))
        {
            uplink._rawStations.Add(s.Name);
        }

        return uplink;
    }

    /// <summary>Registers a station added by a configuration reload (its line from the new configuration).</summary>
    public void AddStation(StationDefinition station, UplinkDefinition? definition, Func<string, Func<IReadOnlyList<DataQualityCounters>>?> quality)
    {
        if ((definition ?? _definition).Stations.TryGetValue(station.Name, out var place))
        {
            _summarizer.AddStation(new StationIdentity(_definition.Edge.Company, _definition.Edge.Plant, place.Line, station.Name), station.Card.Name, station.Card.Version, place.PassClasses, quality(station.Name), place.RawUpload ? station.OrderedTags : null);
            if (place.RawUpload)
            {
                lock (_rawStations)
                {
                    _rawStations.Add(station.Name);
                }
            }
        }
    }

    public string Describe() =>
        $"uplink: {_definition.Edge.EdgeId} ({_definition.Edge.Company}/{_definition.Edge.Plant}) → {_definition.Hub}, {_definition.Window.TotalSeconds:0} s windows, outbox {_outbox.Path} ({_outbox.Counters.BacklogRecords} waiting, {_definition.Outbox.FullPolicy} when full)";

    /// <summary>Per station: the verdicts summarized for the hub beside the calibration samples and unscored results that stay here.</summary>
    public IReadOnlyList<StationUplinkCounts> Counts() => _summarizer.Counts();

    public void OnAnomaly(in AnomalyResult r) => _summarizer.OnAnomaly(r);

    public void OnClassification(ClassificationResult r) => _summarizer.OnClassification(r);

    /// <summary>A frame a station built: uploaded raw only if that station opted in (raw_upload: true).</summary>
    public void OnFrame(string station, in AlignedFrame frame)
    {
        bool raw;
        lock (_rawStations)
        {
            raw = _rawStations.Contains(station);
        }

        if (raw)
        {
            _summarizer.OnFrame(station, frame.Time, frame.Values);
        }
    }

    /// <summary>
    /// Commits the open window, gives the loop a few seconds to deliver, stops it and says what happened. Never throws
    /// for the outbox: on a full disk the last window cannot be committed and the outbox may not even be read, which
    /// is said (what waits stays in the file for the next start), and the agent still stops cleanly.
    /// </summary>
    public async Task StopAsync(TextWriter console)
    {
        var notStoredBefore = _summarizer.AppendFailures;
        _summarizer.Flush();
        _service.Nudge();
        var deadline = DateTime.UtcNow + FinalDrain;
        string? unreadable = null;
        while (ReadCounters(ref unreadable) is { BacklogRecords: > 0 } && _service.LastFailure is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        await _service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var failure = _service.LastFailure is { } f ? $"; last problem: {f.Kind} {f.Detail}" : string.Empty;
        foreach (var n in _summarizer.Counts())
        {
            await console.WriteLineAsync($"uplink {n.Station}: {n.Results} results scored here = {n.Summarized} in window summaries (the hub's framesScored) + {n.Calibration} calibration samples + {n.NotScored} not scored (neither leaves the plant)").ConfigureAwait(false);
        }

        var committed = $"uplink: {_summarizer.SummariesWritten} window summaries, {_summarizer.EventsWritten} events and {_summarizer.RawChunksWritten} raw chunks committed, {_metrics.Acked} acknowledged by the hub";
        await console.WriteLineAsync(ReadCounters(ref unreadable) is { } c
            ? $"{committed}; {c.BacklogRecords} records ({c.BacklogBytes} bytes) wait in the outbox; {c.DroppedOldest} dropped, {c.RejectedNew} refused, {c.DeadLettered} dead-lettered, {c.Quarantined} quarantined{failure}"
            : $"{committed}; the outbox could not be read at stop ({unreadable}): what it holds waits in {_outbox.Path} for the next start{failure}").ConfigureAwait(false);
        if (_summarizer.AppendFailures > 0)
        {
            var last = _summarizer.AppendFailures > notStoredBefore ? ", the last one at this stop" : string.Empty;
            await console.WriteLineAsync($"uplink: the outbox {_outbox.Path} could not store {_summarizer.AppendFailures} station window(s){last} (is its disk full? each is logged): they were never committed, so never sent").ConfigureAwait(false);
        }
    }

    /// <summary>The outbox's counters, or null with <paramref name="problem"/> set when the file cannot be read (a full or failing disk).</summary>
    private OutboxCounters? ReadCounters(ref string? problem)
    {
        try
        {
            return _outbox.Counters;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or OutboxException or IOException)
        {
            problem = ex.Message;
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _summarizer.Dispose();
        await _service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _service.Dispose();
        _metrics.Dispose();
        _http.Dispose();
        _outbox.Dispose();
    }
}
