namespace AiFactory.Edge.Core.Frames;

/// <summary>What a frame does with a tag that has no fresh value (none since the last frame, or outside the skew).</summary>
public enum MissingValuePolicy
{
    /// <summary>Use the tag's last good value while it is younger than the staleness limit; else drop the frame.</summary>
    HoldLast = 0,

    /// <summary>Drop the frame.</summary>
    Drop = 1,
}
