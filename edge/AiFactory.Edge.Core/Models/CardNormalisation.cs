namespace AiFactory.Edge.Core.Models;

public sealed class CardNormalisation
{
    /// <summary><c>per_asset</c>, <c>fixed</c> or <c>none</c>.</summary>
    public string Kind { get; set; } = "none";

    public double StdFloor { get; set; } = 1e-6;

    public List<double> Mean { get; set; } = [];

    public List<double> Std { get; set; } = [];
}
