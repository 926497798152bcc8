using System.Diagnostics;

namespace AiFactory.Hub.Live;

/// <summary>
/// Drives a grain's one push timer: the first change after a quiet spell goes out at once, later ones at most once
/// per interval, so a busy grain makes one call per interval however many changes it takes in; a refresh without
/// changes waits longer. Paced in real time, as the grain timer it drives runs.
/// </summary>
public sealed class PushSchedule(IGrainTimer timer, TimeSpan interval)
{
    private long _lastPush;
    private bool _pushedOnce;
    private long? _dueAt;

    /// <summary>Something changed: make sure a push is due within the interval.</summary>
    public void Changed()
    {
        var since = Stopwatch.GetElapsedTime(_lastPush);
        Arm(!_pushedOnce || since >= interval ? TimeSpan.Zero : interval - since);
    }

    /// <summary>Nothing changed, but push again after <paramref name="delay"/> unless a push is due sooner.</summary>
    public void Again(TimeSpan delay) => Arm(delay);

    /// <summary>Call first thing in the timer's callback.</summary>
    public void Pushing()
    {
        _dueAt = null;
        _pushedOnce = true;
        _lastPush = Stopwatch.GetTimestamp();
    }

    private void Arm(TimeSpan due)
    {
        var at = Stopwatch.GetTimestamp() + (long)(due.TotalSeconds * Stopwatch.Frequency);
        if (_dueAt is { } armed && armed <= at)
        {
            return;
        }

        timer.Change(due, Timeout.InfiniteTimeSpan);
        _dueAt = at;
    }
}
