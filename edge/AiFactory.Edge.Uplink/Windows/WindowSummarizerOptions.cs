using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Windows;

/// <summary>Window length and the fixed histogram bounds every edge uses, so the hub can merge any two summaries.</summary>
public sealed class WindowSummarizerOptions
{
    /// <summary>The score bounds every edge uses (<see cref="StandardHistograms.ScoreBounds"/>); the hub refuses others.</summary>
    public static readonly IReadOnlyList<double> DefaultScoreBounds = StandardHistograms.ScoreBounds;

    /// <summary>The latency bounds every edge uses (<see cref="StandardHistograms.LatencyMsBounds"/>); the hub refuses others.</summary>
    public static readonly IReadOnlyList<double> DefaultLatencyBoundsMs = StandardHistograms.LatencyMsBounds;

    public required string EdgeId { get; init; }

    /// <summary>Window length; windows start at whole multiples of it since 1970 (UTC).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<double> ScoreBounds { get; init; } = DefaultScoreBounds;

    public IReadOnlyList<double> LatencyBoundsMs { get; init; } = DefaultLatencyBoundsMs;
}
