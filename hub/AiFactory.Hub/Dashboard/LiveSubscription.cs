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

    public static LiveSubscription Start(LiveFeeds feeds, MetricsScope scope, Func<LiveSnapshot, Task> onSnapshot)
    {
        var subscription = new LiveSubscription(feeds.Open(scope));
        _ = subscription.PumpAsync(onSnapshot);
        return subscription;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _view.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync(Func<LiveSnapshot, Task> onSnapshot)
    {
        var ct = _stop.Token;
        try
        {
            while (await _view.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (_view.Reader.TryRead(out var snapshot))
                {
                    await onSnapshot(snapshot).ConfigureAwait(false);
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
