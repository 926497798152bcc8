using System.Diagnostics;
using AiFactory.Hub.Queries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace AiFactory.Hub.Live;

/// <summary>
/// What a line, plant and company grain share: each holds the last hour of every child per minute (whole totals as
/// the child last reported them, so a report repeated or crossing a rebuild changes nothing twice), its own minutes
/// as their sum, and its latest events. Rebuilt from SQL on activation; what changed goes to the parent at most once
/// per push interval, and to the subscribed live views at most once per view interval.
/// </summary>
public abstract partial class ScopeGrain(LiveStore store, IOptions<LiveOptions> options, TimeProvider time, ILogger log) : Grain, ILiveScopeGrain
{
    private readonly Dictionary<string, KpiSeries> _children = new(StringComparer.Ordinal);
    private readonly KpiSeries _total = new();
    private readonly HashSet<long> _dirty = [];
    private readonly List<LiveEvent> _newEvents = [];

    // Each child's live figures as the last snapshot computed them, for the minute they were computed in: a snapshot
    // recomputes (60 minute totals summed per child) only the children that reported since, or all when the minute
    // turns. A line grain with an open view is snapshotted every push interval, but few of its children change in one.
    private readonly Dictionary<string, ChildLive> _childLive = new(StringComparer.Ordinal);
    private readonly HashSet<string> _childChanged = new(StringComparer.Ordinal);
    private long _childLiveMinute = long.MinValue;
    private EventLog _events = null!;
    private ObserverManager<Viewer> _observers = null!;
    private PushSchedule _push = null!;
    private bool _reportDue;
    private TimeSpan _viewInterval;

    // Changes taken in so far: a viewer is sent a snapshot when it has not seen the latest (or for a refresh).
    private long _changes;

    protected MetricsScope Scope { get; private set; } = null!;

    protected TimeProvider Time => time;

    protected LiveStore Store => store;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationLock.LeaveAsync();
        Scope = ScopeKeys.Parse(this.GetPrimaryKeyString());
        _observers = new ObserverManager<Viewer>(options.Value.ObserverLease, log);
        _events = new EventLog(options.Value.EventsKept);
        var timer = this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _push = new PushSchedule(timer, options.Value.PushInterval);
        // Zero unless views are to be spaced out beyond the push interval (then every flush with views shows them).
        _viewInterval = options.Value.ViewInterval > options.Value.PushInterval ? options.Value.ViewInterval : TimeSpan.Zero;
        var now = KpiSeries.MinuteOf(time.GetUtcNow());
        var state = await store.ScopeAsync(Scope, KpiSeries.OldestKept(now), options.Value.EventsKept, cancellationToken);
        foreach (var (child, series) in state.Children)
        {
            _children[child] = series;
            foreach (var minute in series.Minutes.Keys)
            {
                _dirty.Add(minute);
            }
        }

        foreach (var minute in _dirty)
        {
            Recompute(minute);
        }

        foreach (var e in state.Events)
        {
            _events.Add(e);
        }

        AddRegistered(state.Registered);
        await OnRebuiltAsync(cancellationToken);

        // The parent may hold less of this scope than SQL does: tell it everything once.
        Changed();
    }

    public Task PushAsync(ChildReport report)
    {
        if (!_children.TryGetValue(report.ChildId, out var series))
        {
            _children[report.ChildId] = series = new KpiSeries();
        }

        _childChanged.Add(report.ChildId);

        foreach (var (minute, totals) in report.Minutes)
        {
            series.Set(minute, totals);
            Recompute(minute);
            _dirty.Add(minute);
        }

        foreach (var e in report.Events)
        {
            if (_events.Add(e))
            {
                _newEvents.Add(e);
            }
        }

        OnReport(report);
        Changed();
        return Task.CompletedTask;
    }

    public Task<LiveSnapshot> SnapshotAsync() => Task.FromResult(Snapshot());

    public async Task SubscribeAsync(ILiveObserver observer, TimeSpan interval)
    {
        // A child registered since this grain activated shows before it reports: each hub's feed subscribes when its
        // first view opens and renews at a third of the lease, and each time the registered children are read again.
        try
        {
            AddRegistered(await store.RegisteredChildrenAsync(Scope, CancellationToken.None));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRegisteredFailed(log, ex, this.GetPrimaryKeyString());
        }

        // A renewal keeps the viewer's pace; the snapshot it is sent now counts as its latest.
        var viewer = _observers.Observers.TryGetValue(observer, out var known) ? known : new Viewer(observer);
        viewer.Interval = interval > TimeSpan.Zero ? interval : TimeSpan.Zero;
        viewer.Shown(Stopwatch.GetTimestamp(), _changes);
        _observers.Subscribe(observer, viewer);
        _push.Again(options.Value.SnapshotRefresh);
        await observer.OnSnapshotAsync(Snapshot());
    }

    public Task UnsubscribeAsync(ILiveObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Registered children that have not reported in the last hour are listed idle, with no figures.</summary>
    private void AddRegistered(IReadOnlyList<string> registered)
    {
        foreach (var id in registered)
        {
            _children.TryAdd(id, new KpiSeries());
        }
    }

    /// <summary>The grain one level up; null for a company.</summary>
    protected abstract ILiveScopeGrain? Parent();

    /// <summary>Loads what this kind of scope shows besides buckets and events (a plant's edges).</summary>
    protected virtual Task OnRebuiltAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Takes what this kind of scope keeps from a child's report besides minutes and events.</summary>
    protected virtual void OnReport(ChildReport report)
    {
    }

    /// <summary>The scope's edges, each online or offline (plants).</summary>
    protected virtual IReadOnlyList<EdgeLive> Edges() => [];

    /// <summary>Edges online and in all (plants and companies).</summary>
    protected virtual (int Online, int Total) EdgeCounts() => (0, 0);

    /// <summary>Something changed: publish, and report to the parent, when the push schedule allows.</summary>
    protected void Changed()
    {
        _changes++;
        _reportDue = true;
        _push.Changed();
    }

    private void Recompute(long minute)
    {
        var sum = new MinuteTotals();
        foreach (var child in _children.Values)
        {
            if (child.Get(minute) is { } totals)
            {
                sum.Add(totals);
            }
        }

        _total.Set(minute, sum);
    }

    private LiveSnapshot Snapshot()
    {
        var now = time.GetUtcNow();
        var minute = KpiSeries.MinuteOf(now);
        Trim(minute);
        var kpis = _total.Kpis(minute);
        if (minute != _childLiveMinute)
        {
            _childLive.Clear();
            _childLiveMinute = minute;
        }

        var children = new List<ChildLive>(_children.Count);
        foreach (var (id, series) in _children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (_childChanged.Contains(id) || !_childLive.TryGetValue(id, out var child))
            {
                var lastMinute = series.Window(minute, 1);
                _childLive[id] = child = new ChildLive(id, KpiSeries.Status(lastMinute), Latest(series), lastMinute, series.Window(minute, KpiSeries.WindowMinutes));
            }

            children.Add(child);
        }

        _childChanged.Clear();

        var (online, total) = EdgeCounts();
        return new LiveSnapshot(
            Scope.CompanyId, Scope.PlantId, Scope.LineId, now, KpiSeries.Status(kpis.OneMinute), kpis, Latest(_total), children, [.. _events.Items], Edges(), online, total);
    }

    private static LatestVerdicts? Latest(KpiSeries series)
    {
        foreach (var (minute, t) in series.Minutes.Reverse())
        {
            if (t.Frames > 0)
            {
                return new LatestVerdicts(DateTimeOffset.FromUnixTimeSeconds(minute), t.Frames, t.Pass, t.Fail, t.Anomalies);
            }
        }

        return null;
    }

    private void Trim(long minute)
    {
        _total.Trim(minute);
        foreach (var child in _children.Values)
        {
            child.Trim(minute);
        }
    }

    private async Task FlushAsync()
    {
        _push.Pushing();
        if (_observers.Count > 0)
        {
            await ShowViewersAsync();
        }

        var parent = Parent();
        if (parent is null || !_reportDue)
        {
            return;
        }

        _reportDue = false;
        var minute = KpiSeries.MinuteOf(time.GetUtcNow());
        Trim(minute);
        var (online, total) = EdgeCounts();
        var report = ScopeReports.Take(ScopeKeys.ChildId(Scope), _total, _dirty, _newEvents, KpiSeries.OldestKept(minute), online, total, force: true)!;
        try
        {
            await parent.PushAsync(report);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ScopeReports.PutBack(report, _dirty, _newEvents);
            LogPushFailed(log, ex, this.GetPrimaryKeyString());
            Changed();
        }
    }

    /// <summary>
    /// Sends the snapshot to the viewers due one: those that have not seen the latest change once their interval (at
    /// least the view interval) has passed since their last, and any after a refresh without changes. The timer is armed
    /// for the next viewer due, so a change that came too soon for a viewer reaches it when its interval is up.
    /// </summary>
    private async Task ShowViewersAsync()
    {
        var now = Stopwatch.GetTimestamp();
        var refresh = options.Value.SnapshotRefresh;
        var next = TimeSpan.MaxValue;
        List<Viewer>? due = null;
        foreach (var viewer in _observers)
        {
            var since = Stopwatch.GetElapsedTime(viewer.LastShown, now);
            var interval = viewer.Interval > _viewInterval ? viewer.Interval : _viewInterval;
            var wait = viewer.SeenChanges != _changes ? interval - since : refresh - since;
            if (wait <= TimeSpan.Zero)
            {
                (due ??= []).Add(viewer);
                wait = refresh;
            }

            next = wait < next ? wait : next;
        }

        if (due is not null)
        {
            var snapshot = Snapshot();
            foreach (var viewer in due)
            {
                viewer.Shown(now, _changes);
            }

            await _observers.Notify(v => v.Observer.OnSnapshotAsync(snapshot), due.Contains);
        }

        if (next != TimeSpan.MaxValue)
        {
            _push.Again(next);
        }
    }

    /// <summary>A subscribed view (one hub process's feed of this scope) and its pace.</summary>
    private sealed class Viewer(ILiveObserver observer)
    {
        public ILiveObserver Observer { get; } = observer;

        public TimeSpan Interval { get; set; }

        public long LastShown { get; private set; }

        public long SeenChanges { get; private set; }

        public void Shown(long at, long changes) => (LastShown, SeenChanges) = (at, changes);
    }

    [LoggerMessage(EventId = 1222, Level = LogLevel.Warning, Message = "{Scope} could not read its registered children; the view lists those that reported")]
    private static partial void LogRegisteredFailed(ILogger log, Exception ex, string scope);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Warning, Message = "{Scope} could not push to its parent; it tries again")]
    private static partial void LogPushFailed(ILogger log, Exception ex, string scope);
}
