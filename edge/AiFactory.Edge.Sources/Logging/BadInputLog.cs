using AiFactory.Contracts;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Sources.Logging;

/// <summary>
/// Logs bad input (undecodable payloads, garbage lines, Modbus exceptions) at most once per interval for each
/// source and reason, so a device spewing garbage cannot flood the log; the next line after a quiet period says how
/// many were held back. Counting stays with the caller (every bad input is counted in <c>SourceStatus</c>).
/// </summary>
public sealed partial class BadInputLog(ILogger logger, string source, TimeSpan? interval = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, Entry> _reasons = new(StringComparer.Ordinal);

    /// <summary>Bad inputs not logged because their reason was logged less than an interval ago.</summary>
    public long Suppressed { get; private set; }

    /// <param name="reason">What kind of problem (e.g. a topic, "line", "slave 3"): the unit of rate limiting.</param>
    /// <param name="detail">The problem, naming the thing; its control characters are escaped before it is logged.</param>
    public void Report(string reason, string detail)
    {
        long held;
        lock (_reasons)
        {
            var now = _time.GetTimestamp();
            if (_reasons.TryGetValue(reason, out var entry) && _time.GetElapsedTime(entry.LastLogged, now) < _interval)
            {
                entry.Held++;
                Suppressed++;
                return;
            }

            held = entry?.Held ?? 0;
            _reasons[reason] = new Entry { LastLogged = now };
        }

        // The detail quotes what a device or broker sent (a topic, a line, a payload): escaped, it cannot forge a log line.
        var safe = ControlCharacters.Escape(detail);
        if (held == 0)
        {
            LogBad(logger, source, safe);
        }
        else
        {
            LogBadWithHeld(logger, source, safe, held, _interval.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: bad input: {Detail}")]
    private static partial void LogBad(ILogger logger, string source, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: bad input: {Detail} ({Held} more like it were counted, not logged, in the last {Seconds:0} s)")]
    private static partial void LogBadWithHeld(ILogger logger, string source, string detail, long held, double seconds);

    private sealed class Entry
    {
        public long LastLogged { get; init; }

        public long Held { get; set; }
    }
}
