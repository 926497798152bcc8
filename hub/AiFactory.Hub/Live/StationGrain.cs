using Microsoft.Extensions.DependencyInjection;
using AiFactory.Hub.Queries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>
/// A station's live state: its last hour per minute and its latest events, rebuilt from SQL on activation and then
/// kept by the deltas of the edges' committed batches. It knows, per edge, the high-water mark up to which it holds
/// that edge's records, so a delta it already holds is ignored and one after a gap makes it rebuild from SQL.
/// What changed goes to the line at most once per push interval.
/// </summary>
public sealed partial class StationGrain(LiveStore store, IOptions<LiveOptions> options, [FromKeyedServices(LiveOptions.ClockKey)] TimeProvider time, ILogger<StationGrain> log) : Grain, IStationGrain
{
    private readonly HashSet<long> _dirty = [];
    private readonly List<LiveEvent> _newEvents = [];
    private MetricsScope _scope = null!;
    private KpiSeries _series = new();
    private Dictionary<string, long> _known = new(StringComparer.Ordinal);
    private EventLog _events = null!;
    private PushSchedule _push = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationLock.LeaveAsync();
        _scope = ScopeKeys.Parse(this.GetPrimaryKeyString());
        var timer = this.RegisterGrainTimer(PushAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _push = new PushSchedule(timer, options.Value.PushInterval);
        await RebuildAsync(cancellationToken);
    }

    public async Task ApplyAsync(StationDelta delta)
    {
        var known = _known.GetValueOrDefault(delta.EdgeId);
        if (delta.NewHighWater <= known)
        {
            return;
        }

        if (delta.CoveredSince > known)
        {
            // Batches of this edge between what this station holds and what the edge vouches for may be missing here:
            // SQL has them all, this one included.
            LogGap(log, this.GetPrimaryKeyString(), delta.EdgeId, known, delta.CoveredSince);
            await RebuildAsync(CancellationToken.None);
            return;
        }

        foreach (var (minute, totals) in delta.Minutes)
        {
            _series.At(minute).Add(totals);
            _dirty.Add(minute);
        }

        foreach (var e in delta.Events)
        {
            if (_events.Add(e))
            {
                _newEvents.Add(e);
            }
        }

        _known[delta.EdgeId] = delta.NewHighWater;
        _push.Changed();
    }

    public Task<LiveKpis> KpisAsync()
    {
        var now = KpiSeries.MinuteOf(time.GetUtcNow());
        _series.Trim(now);
        return Task.FromResult(_series.Kpis(now));
    }

    private async Task RebuildAsync(CancellationToken ct)
    {
        var now = KpiSeries.MinuteOf(time.GetUtcNow());
        var state = await store.StationAsync(_scope, KpiSeries.OldestKept(now), options.Value.EventsKept, ct);
        _series = state.Series;
        _known = new Dictionary<string, long>(state.HighWaters, StringComparer.Ordinal);
        _events = new EventLog(options.Value.EventsKept);
        foreach (var e in state.Events)
        {
            _events.Add(e);
        }

        // The line may hold less of this station than SQL does (a delta lost with a silo): tell it everything once.
        _dirty.UnionWith(_series.Minutes.Keys);
        _newEvents.AddRange(state.Events);
        if (_dirty.Count > 0 || _newEvents.Count > 0)
        {
            _push.Changed();
        }
    }

    private async Task PushAsync()
    {
        _push.Pushing();
        var now = KpiSeries.MinuteOf(time.GetUtcNow());
        _series.Trim(now);
        var report = ScopeReports.Take(ScopeKeys.ChildId(_scope), _series, _dirty, _newEvents, KpiSeries.OldestKept(now));
        if (report is null)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<ILineGrain>(ScopeKeys.Of(ScopeKeys.Parent(_scope)!)).PushAsync(report);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ScopeReports.PutBack(report, _dirty, _newEvents);
            LogPushFailed(log, ex, this.GetPrimaryKeyString());
            _push.Changed();
        }
    }

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Station {Station} rebuilds from SQL: it holds edge {Edge} up to {Known}, the edge vouches only from {Covered}")]
    private static partial void LogGap(ILogger log, string station, string edge, long known, long covered);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "Station {Station} could not push to its line; it tries again")]
    private static partial void LogPushFailed(ILogger log, Exception ex, string station);
}
