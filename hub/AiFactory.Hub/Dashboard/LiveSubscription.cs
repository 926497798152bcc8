using AiFactory.Hub.Live;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// A page's live view of one scope: the current snapshot as soon as there is one, then, on each tick of the process's
/// <see cref="LiveTicker"/> (every <c>Hub:Dashboard:RenderInterval</c>), the latest snapshot if it is not the one shown.
/// A page so costs nothing between ticks however often the scope changes, and no timer or task of its own: 50 open
/// pages had cost the hub a wake-up per page for every snapshot and for every pause between two. Pages of one scope
/// share the process's one feed.
/// </summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly LiveView _view;
    private readonly Func<LiveSnapshot, Task> _onSnapshot;
    private readonly LiveTicker _ticker;
    private readonly CancellationTokenSource _stop = new();
    private LiveSnapshot? _shown;
    private int _showing;
    private bool _disposed;

    internal LiveSubscription(LiveTicker ticker, LiveView view, Func<LiveSnapshot, Task> onSnapshot)
    {
        _ticker = ticker;
        _view = view;
        _onSnapshot = onSnapshot;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ticker.Remove(this);
        _stop.Cancel();
        _view.Dispose();
        _stop.Dispose();
    }

    /// <summary>The first snapshot is shown as soon as the feed has one (a page must not wait for a tick to fill in).</summary>
    internal async Task ShowFirstAsync()
    {
        try
        {
            if (_view.Latest is null)
            {
                await _view.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false);
            }

            Tick();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>On the ticker's loop: shows the latest snapshot if it is new and the page is not still showing the last one.</summary>
    internal void Tick()
    {
        var latest = _view.Latest;
        if (latest is null || ReferenceEquals(latest, _shown) || Interlocked.CompareExchange(ref _showing, 1, 0) != 0)
        {
            return;
        }

        _shown = latest;
        _ = ShowAsync(latest);
    }

    private async Task ShowAsync(LiveSnapshot snapshot)
    {
        try
        {
            await _onSnapshot(snapshot).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The page's circuit went away while a snapshot was being shown.
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref _showing, 0);
        }
    }
}
