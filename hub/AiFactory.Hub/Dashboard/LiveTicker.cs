using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// The one clock of this process's live pages: every <c>Hub:Dashboard:RenderInterval</c> it hands each open page's
/// subscription the latest snapshot of its scope, if that changed. One timer and one loop for all pages, instead of a
/// task, a channel wait and a delay per page.
/// </summary>
public sealed partial class LiveTicker : IDisposable
{
    private readonly LiveFeeds _feeds;
    private readonly ILogger<LiveTicker> _log;
    private readonly Lock _gate = new();
    private readonly List<LiveSubscription> _subscriptions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _period;
    private LiveSubscription[] _round = [];
    private bool _roundStale;
    private Task? _loop;

    public LiveTicker(LiveFeeds feeds, IOptions<DashboardOptions> options, ILogger<LiveTicker> log)
    {
        _feeds = feeds;
        _log = log;
        // PeriodicTimer needs a period above zero; 0 (allowed: "as often as possible") means every 20 ms.
        _period = options.Value.RenderInterval > TimeSpan.FromMilliseconds(20) ? options.Value.RenderInterval : TimeSpan.FromMilliseconds(20);
    }

    /// <summary>Opens a live view of a line, plant or company (already checked against the caller) for a page.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="onSnapshot">Shows a snapshot; not called again until the returned task completes.</param>
    /// <remarks>The scope's grain is asked for a snapshot at most once a tick: more would never be shown.</remarks>
    public LiveSubscription Start(MetricsScope scope, Func<LiveSnapshot, Task> onSnapshot) => Start(_feeds.Open(scope, _period), onSnapshot);

    /// <summary>Shows a view already opened (the subscription disposes it).</summary>
    public LiveSubscription Start(LiveView view, Func<LiveSnapshot, Task> onSnapshot)
    {
        var subscription = new LiveSubscription(this, view, onSnapshot);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _subscriptions.Add(subscription);
            _roundStale = true;
            _loop ??= PageTicker.RunAsync(_period, TickAll, _stop.Token);
        }

        _ = subscription.ShowFirstAsync();
        return subscription;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    internal void Remove(LiveSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
            _roundStale = true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
        }
    }

    /// <summary>One tick: every open subscription looks at its scope's latest snapshot.</summary>
    private Task TickAll()
    {
        foreach (var subscription in Round())
        {
            try
            {
                subscription.Tick();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One page's trouble must not stop the others' updates.
                LogTickFailed(_log, ex);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The subscriptions of this tick; the array is copied only after one was added or removed.</summary>
    private LiveSubscription[] Round()
    {
        lock (_gate)
        {
            if (_roundStale)
            {
                _round = [.. _subscriptions];
                _roundStale = false;
            }

            return _round;
        }
    }

    [LoggerMessage(EventId = 1531, Level = LogLevel.Warning, Message = "A live page's update failed; the other pages go on")]
    private static partial void LogTickFailed(ILogger log, Exception ex);
}
