namespace AiFactory.Edge.Core.Models;

public sealed class CardThreshold
{
    /// <summary><c>quantile</c> or <c>mean_std</c>.</summary>
    public string Method { get; set; } = string.Empty;

    public double Quantile { get; set; }

    public double Factor { get; set; } = 1.0;

    public double K { get; set; }

    /// <summary>The threshold never goes below this score (absent: no lower bound), so a very quiet calibration run cannot leave an asset with a hair trigger.</summary>
    public double? Floor { get; set; }
}
