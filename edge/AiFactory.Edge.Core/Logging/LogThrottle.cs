namespace AiFactory.Edge.Core.Logging;

/// <summary>
/// Decides which bad-input log lines a source writes: at most one per reason (e.g. "malformed payload",
/// "slave 7 timeout") per interval, so a device spewing garbage cannot flood the log. Lines held back are
/// counted and the next line written for that reason says how many ("N more suppressed"). It only gates
/// logging: callers count every bad input in their status counters whether or not a line is written.
/// One instance per source; thread-safe.
/// </summary>
public sealed class LogThrottle
{
    /// <summary>The default interval: one line per source and reason every 10 seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>Distinct reasons tracked; past this, new reasons share one window so a caller that puts
    /// unbounded text (topics, values) into reasons cannot grow this without bound.</summary>
    public const int MaxReasons = 256;

    /// <summary>The reason that reasons past <see cref="MaxReasons"/> are throttled under.</summary>
    public const string OverflowReason = "(other reasons)";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <param name="interval">At most one line per reason per interval; null for <see cref="DefaultInterval"/>, <see cref="TimeSpan.Zero"/> to log every bad input.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public LogThrottle(TimeSpan? interval = null, TimeProvider? time = null)
    {
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(Interval, TimeSpan.Zero, nameof(interval));
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Interval { get; }

    /// <summary>
    /// Records one bad input for <paramref name="reason"/>. True when a line should be written now; then
    /// <paramref name="suppressed"/> is how many lines for this reason were held back since the last one written.
    /// </summary>
    public bool ShouldLog(string reason, out long suppressed)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!_windows.TryGetValue(reason, out var window))
            {
                if (_windows.Count >= MaxReasons && !_windows.TryGetValue(OverflowReason, out window))
                {
                    _windows[OverflowReason] = window = new Window();
                }
                else if (window is null)
                {
                    _windows[reason] = window = new Window();
                }
            }

            if (window.Written && _time.GetElapsedTime(window.LastWritten, now) < Interval)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastWritten = now;
            window.Written = true;
            return true;
        }
    }

    private sealed class Window
    {
        public bool Written { get; set; }

        public long LastWritten { get; set; }

        public long Suppressed { get; set; }
    }
}
