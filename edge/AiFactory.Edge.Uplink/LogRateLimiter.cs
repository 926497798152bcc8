namespace AiFactory.Edge.Uplink;

/// <summary>
/// Lets one log line per key through per interval and counts the rest, so a hub that is down for an hour or an
/// outbox that stays full writes a line a minute (with how many were held back), not one per attempt.
/// </summary>
public sealed class LogRateLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Last, long Suppressed)> _keys = new(StringComparer.Ordinal);

    /// <summary>True when a line for <paramref name="key"/> may be written now; <paramref name="suppressed"/> says how many were held back since the last one.</summary>
    public bool TryEnter(string key, out long suppressed)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_keys.TryGetValue(key, out var state) && time.GetElapsedTime(state.Last, now) < interval)
            {
                _keys[key] = (state.Last, state.Suppressed + 1);
                suppressed = 0;
                return false;
            }

            suppressed = state.Suppressed;
            _keys[key] = (now, 0);
            return true;
        }
    }
}
