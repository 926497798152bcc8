using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Live;

/// <summary>
/// This process's one subscription to one scope grain, shared by every live view of that scope here: the grain sends
/// each snapshot once per process, and the feed hands it to each view. The subscription is renewed at a third of its
/// lease, which also brings it back after the grain was rebuilt elsewhere.
/// </summary>
public sealed partial class LiveFeed : ILiveObserver
{
    private readonly Lock _gate = new();
    private readonly List<Channel<LiveSnapshot>> _views = [];
    private readonly ILiveScopeGrain _grain;
    private readonly IGrainFactory _grains;
    private readonly TimeSpan _renewEvery;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private ILiveObserver? _reference;
    private LiveSnapshot? _latest;
    private Task _renewing = Task.CompletedTask;

    /// <param name="interval">The pace its views need: a snapshot at most this often while the scope changes (zero: every change).</param>
    public LiveFeed(ILiveScopeGrain grain, IGrainFactory grains, TimeSpan lease, TimeSpan interval, ILogger log)
    {
        _interval = interval;
        _grain = grain;
        _grains = grains;
        _renewEvery = lease / 3;
        _log = log;
    }

    public string Scope => _grain.GetPrimaryKeyString();

    /// <summary>The last snapshot the grain sent; null before the first.</summary>
    public LiveSnapshot? Latest => Volatile.Read(ref _latest);

    public int Views
    {
        get
        {
            lock (_gate)
            {
                return _views.Count;
            }
        }
    }

    public Task OnSnapshotAsync(LiveSnapshot snapshot)
    {
        lock (_gate)
        {
            Volatile.Write(ref _latest, snapshot);
            foreach (var view in _views)
            {
                view.Writer.TryWrite(snapshot);
            }
        }

        return Task.CompletedTask;
    }

    public void Start()
    {
        _reference = _grains.CreateObjectReference<ILiveObserver>(this);
        _renewing = RenewAsync(_stop.Token);
    }

    /// <summary>A new view: it gets the latest snapshot at once, if one came yet.</summary>
    public ChannelReader<LiveSnapshot> Join(out Channel<LiveSnapshot> view)
    {
        view = Channel.CreateBounded<LiveSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (_latest is not null)
            {
                view.Writer.TryWrite(_latest);
            }

            _views.Add(view);
        }

        return view.Reader;
    }

    /// <summary>Removes a view; answers how many are left.</summary>
    public int Leave(Channel<LiveSnapshot> view)
    {
        lock (_gate)
        {
            _views.Remove(view);
            view.Writer.TryComplete();
            return _views.Count;
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        try
        {
            await _grain.UnsubscribeAsync(_reference!).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The grain forgets it when the lease runs out anyway.
            LogUnsubscribeFailed(_log, ex, Scope);
        }

        _grains.DeleteObjectReference<ILiveObserver>(_reference!);
        _stop.Dispose();
    }

    private async Task RenewAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_renewEvery);
        do
        {
            try
            {
                await _grain.SubscribeAsync(_reference!, _interval).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !ct.IsCancellationRequested)
            {
                LogSubscribeFailed(_log, ex, Scope);
            }
        }
        while (await Tick(timer, ct).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1231, Level = LogLevel.Warning, Message = "Live feed of {Scope} could not subscribe; it tries again at the next renewal")]
    private static partial void LogSubscribeFailed(ILogger log, Exception ex, string scope);

    [LoggerMessage(EventId = 1232, Level = LogLevel.Debug, Message = "Live feed of {Scope} could not unsubscribe")]
    private static partial void LogUnsubscribeFailed(ILogger log, Exception ex, string scope);
}
