namespace AiFactory.Edge.Uplink.Windows;

/// <summary>
/// One station's results as the uplink saw them: the verdicts counted into window summaries (what the hub's
/// framesScored adds up to), and the results that carried none: calibration samples and unscored frames.
/// </summary>
public sealed record StationUplinkCounts(string Station, long Summarized, long Calibration, long NotScored)
{
    /// <summary>Every result the station produced: its edge-side scored count.</summary>
    public long Results => Summarized + Calibration + NotScored;
}
