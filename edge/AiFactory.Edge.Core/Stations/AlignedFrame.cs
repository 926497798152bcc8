namespace AiFactory.Edge.Core.Stations;

/// <summary>A station's feature vector (in the card's feature order) and the time it stands for.</summary>
public readonly record struct AlignedFrame(DateTimeOffset Time, double[] Values);
