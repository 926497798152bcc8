using AiFactory.Hub.Live;

namespace AiFactory.Hub.Tests.Support;

/// <summary>A live-view subscriber for tests: keeps the latest snapshot and signals the first that meets a condition.</summary>
internal sealed class SnapshotProbe : ILiveObserver
{
    private readonly Lock _gate = new();
    private readonly List<(Func<LiveSnapshot, bool> Condition, TaskCompletionSource<LiveSnapshot> Signal)> _waits = [];

    public LiveSnapshot? Latest { get; private set; }

    public Task OnSnapshotAsync(LiveSnapshot snapshot)
    {
        lock (_gate)
        {
            Latest = snapshot;
            foreach (var w in _waits.Where(w => w.Condition(snapshot)).ToList())
            {
                w.Signal.TrySetResult(snapshot);
                _waits.Remove(w);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The first snapshot (the latest included) that meets <paramref name="condition"/>, within 20 s.</summary>
    public Task<LiveSnapshot> WaitForAsync(Func<LiveSnapshot, bool> condition, string what)
    {
        lock (_gate)
        {
            if (Latest is { } latest && condition(latest))
            {
                return Task.FromResult(latest);
            }

            var signal = new TaskCompletionSource<LiveSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((condition, signal));
            return Wait(signal.Task, what);
        }
    }

    private async Task<LiveSnapshot> Wait(Task<LiveSnapshot> signal, string what)
    {
        try
        {
            return await signal.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no snapshot with {what} within 20 s; the latest: {Latest}");
        }
    }
}
