namespace AiFactory.Edge.Core.Frames;

/// <summary>How one configured tag's raw values become engineering values, and what counts as a bad one.</summary>
/// <param name="Name">The tag's configured name (what stations refer to).</param>
public sealed record TagSpec(string Name)
{
    /// <summary>Engineering value = raw × Scale + Offset.</summary>
    public double Scale { get; init; } = 1.0;

    public double Offset { get; init; }

    /// <summary>Smallest valid engineering value (inclusive).</summary>
    public double Min { get; init; } = double.NegativeInfinity;

    /// <summary>Largest valid engineering value (inclusive).</summary>
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>A sample older than this when it arrives is stale; null = never.</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>The tag's expected sample period, for gap detection; null = no gap detection.</summary>
    public TimeSpan? ExpectedPeriod { get; init; }
}
