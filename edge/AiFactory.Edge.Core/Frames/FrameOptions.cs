namespace AiFactory.Edge.Core.Frames;

/// <summary>A station's frame alignment: kind, maximum skew between a frame's values, missing-value policy, staleness.</summary>
public sealed record FrameOptions
{
    public FrameKind Kind { get; init; } = FrameKind.Sample;

    /// <summary>Window frames: score every stride-th window (every sample still enters the card's window).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Part frames: the tag whose arrival closes a part.</summary>
    public string? Trigger { get; init; }

    /// <summary>A value further than this from the frame's time is not fresh for that frame.</summary>
    public TimeSpan MaxSkew { get; init; } = TimeSpan.MaxValue;

    public MissingValuePolicy Missing { get; init; } = MissingValuePolicy.HoldLast;

    /// <summary>Hold-last never holds a value older than this (relative to the frame's time).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.MaxValue;
}
