using Orleans.Concurrency;

namespace AiFactory.Hub.Live;

/// <summary>Receives a scope grain's snapshots: on subscribing, after changes (at most one per push interval) and on refresh.</summary>
public interface ILiveObserver : IGrainObserver
{
    [OneWay]
    Task OnSnapshotAsync(LiveSnapshot snapshot);
}
