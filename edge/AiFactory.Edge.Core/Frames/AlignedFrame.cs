namespace AiFactory.Edge.Core.Frames;

/// <summary>One station frame: its time (the newest value's, or the trigger's) and one value per tag in feature order.</summary>
public readonly record struct AlignedFrame(DateTimeOffset Timestamp, double[] Values);
