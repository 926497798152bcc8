namespace AiFactory.Hub.Alliance;

/// <summary>Settings of the alliance features (configuration section <c>Hub:Alliance</c>).</summary>
public sealed class AllianceOptions
{
    public const string Section = "Hub:Alliance";

    /// <summary>How often the line-day roll-up recomputes the recent days (0: never; roll with <c>aifactory-hub alliance rollup</c>).</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many days back, today included, each roll-up recomputes (late uploads older than this need a manual roll-up).</summary>
    public int RollupDays { get; set; } = 3;

    /// <summary>Null when usable; otherwise the problem, naming the key.</summary>
    public string? Problem() =>
        RollupInterval < TimeSpan.Zero ? $"{Section}:RollupInterval {RollupInterval} must not be negative."
        : RollupDays is < 1 or > 400 ? $"{Section}:RollupDays {RollupDays} must be from 1 to 400."
        : null;
}
