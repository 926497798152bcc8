namespace AiFactory.Edge.Core.Batching;

/// <summary>What the batcher does with a frame holding NaN or ±Infinity.</summary>
public enum NonFinitePolicy
{
    /// <summary>Refuse the frame with <see cref="FrameRejectedException"/>.</summary>
    Reject = 0,

    /// <summary>Score it with every non-finite value replaced by 0 (the normalised mean), counting the replacement.</summary>
    ReplaceWithZero = 1,
}
