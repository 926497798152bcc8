using Microsoft.Extensions.DependencyInjection;
using AiFactory.Contracts;
using AiFactory.Hub.Ingest;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AiFactory.Hub.Live;

/// <summary>
/// One activation per edge, so one edge's batches are applied one at a time: the SQL transaction first (buckets,
/// events and the high-water mark together, <see cref="SqlBatchAggregator"/>), then the batch's stations hear what it
/// added, one call per station. Its silence timer declares the edge offline after <c>Hub:EdgeOfflineAfter</c> without
/// an uplink; the timer runs on the live clock and calls back through the grain, so it takes its turn like any call.
/// </summary>
public sealed partial class EdgeGrain(
    SqlBatchAggregator sql,
    LiveStore store,
    IOptions<HubOptions> hub,
    [FromKeyedServices(LiveOptions.ClockKey)] TimeProvider time,
    ILogger<EdgeGrain> log) : Grain, IEdgeGrain
{
    private readonly HashSet<string> _missed = new(StringComparer.Ordinal);
    private EdgeRecord? _edge;
    private long _coveredSince;
    private DateTimeOffset? _lastSeen;
    private bool _online;
    private ITimer? _silence;
    private bool _silenceArmed;

    private string Id => this.GetPrimaryKeyString();

    private TimeSpan OfflineAfter => hub.Value.EdgeOfflineAfter;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationLock.LeaveAsync();
        _edge = await store.EdgeAsync(Id, cancellationToken);

        // Every batch after this mark reaches its stations from this activation; before it, SQL knows best.
        _coveredSince = _edge?.HighWater ?? 0;
        _lastSeen = _edge?.LastSeenUtc;
        _online = EdgeLive.IsOnline(_lastSeen, time.GetUtcNow(), OfflineAfter);
        var self = this.AsReference<IEdgeGrain>();
        _silence = time.CreateTimer(_ => _ = self.CheckSilenceAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_online)
        {
            ArmSilence(_lastSeen!.Value + OfflineAfter - time.GetUtcNow());
        }
    }

    public async Task<UplinkAck> ApplyAsync(Immutable<UplinkBatch> batch)
    {
        var edge = new HubCaller(Id, HubRole.Edge, _edge?.CompanyId, Id, _edge?.PlantId);
        var outcome = await sql.ApplyAsync(edge, batch.Value, CancellationToken.None);
        _edge ??= await store.EdgeAsync(Id, CancellationToken.None);
        _lastSeen = time.GetUtcNow();
        ArmSilence(OfflineAfter);
        if (!_online)
        {
            _online = true;
            LogOnline(log, Id);
            await ReportAsync();
        }

        if (outcome.Applied.Count > 0)
        {
            await UpdateStationsAsync(outcome.Ack.LastSequence, outcome.Applied);
        }

        return outcome.Ack;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _silence?.Dispose();
        return Task.CompletedTask;
    }

    public Task WatchAsync() => Task.CompletedTask;

    public Task<EdgeLive> StatusAsync() => Task.FromResult(new EdgeLive(Id, _online, _lastSeen));

    /// <summary>One delta per station the batch named; a station whose delta is lost rebuilds from SQL on the next one.</summary>
    private async Task UpdateStationsAsync(long highWater, IReadOnlyList<UplinkRecord> applied)
    {
        var deltas = new Dictionary<string, (Dictionary<long, MinuteTotals> Minutes, List<LiveEvent> Events)>(StringComparer.Ordinal);
        foreach (var r in applied)
        {
            if (r.Summary is { } s)
            {
                var minutes = Delta(deltas, new MetricsScope(s.CompanyId, s.PlantId, s.LineId, s.StationId)).Minutes;
                var minute = KpiSeries.MinuteOf(s.WindowStartUtc);
                if (!minutes.TryGetValue(minute, out var totals))
                {
                    minutes[minute] = totals = new MinuteTotals();
                }

                totals.Add(s);
            }
            else if (r.Event is { } e)
            {
                Delta(deltas, new MetricsScope(e.CompanyId, e.PlantId, e.LineId, e.StationId)).Events.Add(new LiveEvent(
                    Id, r.Sequence, e.PlantId, e.LineId, e.StationId, DateTimeOffset.FromUnixTimeMilliseconds(e.TimeUtc.ToUnixTimeMilliseconds()),
                    e.Kind, e.Score, e.Class, e.ModelName, e.ModelVersion));
            }
        }

        var calls = new List<Task>(deltas.Count);
        foreach (var (station, (minutes, events)) in deltas)
        {
            var covered = _missed.Contains(station) ? long.MaxValue : _coveredSince;
            calls.Add(SendAsync(station, new StationDelta(Id, covered, highWater, minutes, events)));
        }

        await Task.WhenAll(calls);
    }

    private async Task SendAsync(string station, StationDelta delta)
    {
        try
        {
            await GrainFactory.GetGrain<IStationGrain>(station).ApplyAsync(delta);
            _missed.Remove(station);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // SQL has the batch; the station catches up from there when it next hears from this edge.
            _missed.Add(station);
            LogStationMissed(log, ex, Id, station);
        }
    }

    private static (Dictionary<long, MinuteTotals> Minutes, List<LiveEvent> Events) Delta(
        Dictionary<string, (Dictionary<long, MinuteTotals> Minutes, List<LiveEvent> Events)> deltas, MetricsScope station)
    {
        var key = ScopeKeys.Of(station);
        if (!deltas.TryGetValue(key, out var delta))
        {
            deltas[key] = delta = ([], []);
        }

        return delta;
    }

    private void ArmSilence(TimeSpan due)
    {
        if (!_silenceArmed)
        {
            _silence!.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
            _silenceArmed = true;
        }
    }

    public async Task CheckSilenceAsync()
    {
        _silenceArmed = false;
        if (!_online || _lastSeen is not { } seen)
        {
            return;
        }

        var left = seen + OfflineAfter - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            ArmSilence(left);
            return;
        }

        _online = false;
        LogOffline(log, Id, seen);
        await ReportAsync();
    }

    private async Task ReportAsync()
    {
        if (_edge is null)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IPlantGrain>(ScopeKeys.Of(new MetricsScope(_edge.CompanyId, _edge.PlantId))).EdgeChangedAsync(new EdgeLive(Id, _online, _lastSeen));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReportFailed(log, ex, Id);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Edge {Edge} is online")]
    private static partial void LogOnline(ILogger log, string edge);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Edge {Edge} is offline: silent since {LastSeen:O}")]
    private static partial void LogOffline(ILogger log, string edge, DateTimeOffset lastSeen);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Edge {Edge}: station {Station} did not take a committed batch; it rebuilds from SQL on the next one")]
    private static partial void LogStationMissed(ILogger log, Exception ex, string edge, string station);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Edge {Edge}: its plant did not take its online state")]
    private static partial void LogReportFailed(ILogger log, Exception ex, string edge);
}
