namespace AiFactory.Edge.Uplink.Windows;

/// <summary>Window length and the fixed histogram bounds every edge uses, so the hub can merge any two summaries.</summary>
public sealed class WindowSummarizerOptions
{
    /// <summary>
    /// Score buckets: fine over 0..1 (class probabilities, most anomaly scores) and coarse above (anomaly scores are
    /// unbounded). Shared by every station so that line, plant and company aggregates merge by addition.
    /// </summary>
    public static readonly IReadOnlyList<double> DefaultScoreBounds =
    [
        0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1,
        1.5, 2, 3, 5, 10, 20, 50, 100, 1000,
    ];

    /// <summary>Model latency buckets in milliseconds (queue wait plus run time), 50 µs to 5 s.</summary>
    public static readonly IReadOnlyList<double> DefaultLatencyBoundsMs =
    [
        0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 200, 500, 1000, 2000, 5000,
    ];

    public required string EdgeId { get; init; }

    /// <summary>Window length; windows start at whole multiples of it since 1970 (UTC).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<double> ScoreBounds { get; init; } = DefaultScoreBounds;

    public IReadOnlyList<double> LatencyBoundsMs { get; init; } = DefaultLatencyBoundsMs;
}
