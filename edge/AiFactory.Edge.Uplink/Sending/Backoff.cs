namespace AiFactory.Edge.Uplink.Sending;

/// <summary>Exponential backoff with full jitter: the n-th consecutive failure waits a uniform draw below min(cap, base·2ⁿ).</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan cap, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    public int Failures => _failures;

    /// <summary>The bound the next delay is drawn below.</summary>
    public TimeSpan Ceiling => TimeSpan.FromTicks((long)Math.Min(cap.Ticks, initial.Ticks * Math.Pow(2, Math.Min(_failures, 40))));

    public TimeSpan Next()
    {
        var delay = TimeSpan.FromTicks((long)(_random.NextDouble() * Ceiling.Ticks));
        _failures++;
        return delay;
    }

    public void Reset() => _failures = 0;
}
