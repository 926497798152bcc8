namespace AiFactory.Hub.Live;

/// <summary>How live state moves (configuration section <c>Hub:Live</c>); edges go offline after <c>Hub:EdgeOfflineAfter</c>.</summary>
public sealed class LiveOptions
{
    public const string Section = "Hub:Live";

    /// <summary>
    /// Key of the clock live state reads (rolling windows, edge silence): the hub's <see cref="TimeProvider"/>, kept
    /// apart from Orleans' own so that a test can move it without moving the silo's timers.
    /// </summary>
    public const string ClockKey = "AiFactory.Hub.Live.Clock";

    /// <summary>
    /// Each stage (station → line → plant → company, and a view's publication) passes on what changed at most this often;
    /// the first change after a quiet spell goes at once.
    /// </summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A scope's live views (dashboard pages, SSE streams) get a new snapshot at most this often; the first change after
    /// a quiet spell goes at once. Stages still pass changes on every <see cref="PushInterval"/>: only the snapshots,
    /// which cost the hub per scope with views, are spaced out. 0 (the default) or any value below the push interval means
    /// the push interval. A floor for every view: each subscriber also states its own pace (the dashboard's pages their
    /// render interval, the API's streams none), so the default leaves the API's streams every change.
    /// </summary>
    public TimeSpan ViewInterval { get; set; } = TimeSpan.Zero;

    /// <summary>A view with subscribers is republished this often without changes, so its rolling windows move on.</summary>
    public TimeSpan SnapshotRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A scope grain forgets a subscriber not renewed within this; subscribers renew at a third of it.</summary>
    public TimeSpan ObserverLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Latest events kept per scope.</summary>
    public int EventsKept { get; set; } = 20;
}
