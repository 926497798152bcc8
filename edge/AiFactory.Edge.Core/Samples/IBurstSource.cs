namespace AiFactory.Edge.Core.Samples;

/// <summary>
/// A source that says when it has handed the line a burst of samples (for MQTT: every message its network thread
/// could read at once). The line can then route the burst on the source's own thread, right away, instead of
/// waking its routing thread for it: on a two-core plant PC that wake-up and the second busy thread cost more than
/// the routing itself.
/// </summary>
public interface IBurstSource : ISampleSource
{
    /// <summary>
    /// Set by the line before <see cref="ISampleSource.RunAsync"/>; when set, the source calls it after writing
    /// samples, on the thread that wrote them, and before it waits for room in a full line. It does not throw.
    /// With <c>mayHold</c> true the source promises to call again when asked, and the line may hold a few samples
    /// back for a moment so that they are scored, and their verdicts sent, together: it answers how soon it wants
    /// that call even if no sample comes (null: not needed). With <c>mayHold</c> false (a thread that will not call
    /// again) the line routes everything now, or has its routing thread do it, and answers null.
    /// When null, the source only writes, and the writer it was given wakes whoever routes.
    /// </summary>
    Func<bool, TimeSpan?>? BurstEnded { get; set; }
}
