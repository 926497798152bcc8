namespace AiFactory.Hub.Live;

/// <summary>What a line, plant or company grain does: takes its children's reports and serves live views.</summary>
public interface ILiveScopeGrain : IGrainWithStringKey
{
    Task PushAsync(ChildReport report);

    Task<LiveSnapshot> SnapshotAsync();

    /// <summary>
    /// Adds or renews a subscriber for the lease (<c>Hub:Live:ObserverLease</c>); it receives the current snapshot at
    /// once, then a snapshot at most every <paramref name="interval"/> while the scope changes (zero: every push
    /// interval; never more often than <c>Hub:Live:ViewInterval</c>), and every <c>Hub:Live:SnapshotRefresh</c> without changes.
    /// </summary>
    Task SubscribeAsync(ILiveObserver observer, TimeSpan interval);

    Task UnsubscribeAsync(ILiveObserver observer);
}
