namespace AiFactory.Edge.Core.Models;

public sealed class CardPostprocess
{
    /// <summary><c>none</c>, <c>rolling_mean</c> or <c>ema</c>.</summary>
    public string Smoothing { get; set; } = "none";

    public int Window { get; set; } = 1;

    public double Alpha { get; set; }
}
