namespace AiFactory.Edge.Core.Models;

public sealed class CardCalibration
{
    public int Samples { get; set; }

    public CardThreshold Threshold { get; set; } = new();
}
