using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// A page's live view of one scope: the grains' snapshots (the current one at once, then each change, at most one per
/// push interval) handed to the page until it is disposed. Pages of one scope share the process's one feed.
/// </summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly LiveView _view;
    private readonly CancellationTokenSource _stop = new();

    private LiveSubscription(LiveView view) => _view = view;

    /// <param name="feeds">The process's live feeds.</param>
    /// <param name="scope">The line, plant or company (already checked against the caller).</param>
    /// <param name="interval">At most one snapshot is handed over per interval: the latest, the ones between dropped.</param>
    /// <param name="onSnapshot">Shows a snapshot.</param>
    public static LiveSubscription Start(LiveFeeds feeds, MetricsScope scope, TimeSpan interval, Func<LiveSnapshot, Task> onSnapshot)
    {
        var subscription = new LiveSubscription(feeds.Open(scope));
        _ = subscription.PumpAsync(interval, onSnapshot);
        return subscription;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _view.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync(TimeSpan interval, Func<LiveSnapshot, Task> onSnapshot)
    {
        var ct = _stop.Token;
        try
        {
            while (await _view.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                // The view keeps only the latest snapshot, so what came during the wait is one snapshot, not a queue.
                if (_view.Reader.TryRead(out var snapshot))
                {
                    await onSnapshot(snapshot).ConfigureAwait(false);
                    await Task.Delay(interval, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The page's circuit went away while a snapshot was being shown.
        }
    }
}
