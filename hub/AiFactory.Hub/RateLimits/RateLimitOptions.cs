namespace AiFactory.Hub.RateLimits;

/// <summary>
/// Per-key request limits (configuration section <c>Hub:RateLimit</c>): each API key (each client address for
/// requests without a valid key) has a token bucket of <see cref="Burst"/> requests refilled at
/// <see cref="RequestsPerSecond"/>; a request that finds it empty answers 429 with Retry-After.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Off only for benchmarks that measure the hub without it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests a minute per key (3000: 50 a second). An edge sends one batch per window and drains a backlog batch after batch.</summary>
    public int RequestsPerMinute { get; set; } = 3000;

    /// <summary>Requests a key may make at once after being quiet.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>The bucket's refill: every second at 60 a minute or more, else one token every 60 / rate seconds.</summary>
    public (int Tokens, TimeSpan Period) Refill() =>
        RequestsPerMinute >= 60 ? ((RequestsPerMinute + 59) / 60, TimeSpan.FromSeconds(1)) : (1, TimeSpan.FromMinutes(1) / RequestsPerMinute);

    /// <summary>The problems of these settings, each naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (RequestsPerMinute is < 1 or > 6_000_000)
        {
            yield return $"Hub:RateLimit:RequestsPerMinute {RequestsPerMinute} is outside 1..6000000.";
        }

        if (Burst < 1 || Burst > 1_000_000)
        {
            yield return $"Hub:RateLimit:Burst {Burst} is outside 1..1000000.";
        }
    }
}
