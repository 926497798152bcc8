using System.Globalization;

namespace AiFactory.Edge.Live;

/// <summary>
/// Drill only (deploy/drill.sh): the agent's wall clock, which jumps once when <see cref="Variable"/> says so, as a
/// clock stepped by NTP or by hand does. Unset, the agent runs on <see cref="TimeProvider.System"/>. Timers and
/// elapsed times keep the monotonic clock; only the wall-clock time the windows and the outbox stamp moves.
/// </summary>
public sealed class DrillClock : TimeProvider
{
    /// <summary>"AFTER_S:OFFSET_S", e.g. "8:-3600": 8 s after start the wall clock steps back one hour.</summary>
    public const string Variable = "AIFACTORY_DRILL_CLOCK_JUMP";

    private readonly TimeProvider _real;
    private readonly long _jumpAt;
    private readonly TimeSpan _offset;

    public DrillClock(TimeProvider real, TimeSpan after, TimeSpan offset)
    {
        _real = real;
        _jumpAt = real.GetTimestamp() + (long)(after.TotalSeconds * real.TimestampFrequency);
        _offset = offset;
    }

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override long GetTimestamp() => _real.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => _real.GetTimestamp() >= _jumpAt ? _real.GetUtcNow() + _offset : _real.GetUtcNow();

    /// <summary>The clock <paramref name="value"/> (the variable's text, or null) asks for.</summary>
    public static TimeProvider From(string? value, TimeProvider real)
    {
        if (string.IsNullOrEmpty(value))
        {
            return real;
        }

        var parts = value.Split(':');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var after) || after is < 0 or > 86_400
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var offset) || Math.Abs(offset) > 30 * 86_400)
        {
            throw new ArgumentException($"{Variable}='{value}' is not AFTER_S:OFFSET_S (seconds after start, 0 to 86400, and the jump in seconds, at most 30 days either way), e.g. 8:-3600");
        }

        return new DrillClock(real, TimeSpan.FromSeconds(after), TimeSpan.FromSeconds(offset));
    }
}
