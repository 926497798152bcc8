namespace AiFactory.Hub.Live;

/// <summary>What a line, plant or company grain does: takes its children's reports and serves live views.</summary>
public interface ILiveScopeGrain : IGrainWithStringKey
{
    Task PushAsync(ChildReport report);

    Task<LiveSnapshot> SnapshotAsync();

    /// <summary>Adds or renews a subscriber for the lease (<c>Hub:Live:ObserverLease</c>); it receives the current snapshot at once.</summary>
    Task SubscribeAsync(ILiveObserver observer);

    Task UnsubscribeAsync(ILiveObserver observer);
}
