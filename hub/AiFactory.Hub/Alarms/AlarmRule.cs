namespace AiFactory.Hub.Alarms;

/// <summary>
/// A rule on one line, or one station of it: raise when the watched value is on the bad side of
/// <paramref name="Threshold"/> for <paramref name="ForMinutes"/>; clear when it is back on the good side of
/// <paramref name="ClearThreshold"/> for as long (the band between the two and the wait are the hysteresis).
/// </summary>
/// <param name="Id">The rule's id.</param>
/// <param name="CompanyId">Owning company.</param>
/// <param name="PlantId">The line's plant.</param>
/// <param name="LineId">The line.</param>
/// <param name="StationId">The station; null for a rule on the whole line.</param>
/// <param name="Kind">What it watches.</param>
/// <param name="Threshold">The raising threshold.</param>
/// <param name="ClearThreshold">The clearing threshold (equal to, or on the good side of, <paramref name="Threshold"/>).</param>
/// <param name="ForMinutes">How long a value must stay on one side before the alarm raises or clears (0: at once).</param>
/// <param name="Enabled">False: not evaluated; an open alarm of it is cleared.</param>
[GenerateSerializer]
[Immutable]
public sealed record AlarmRule(
    [property: Id(0)] string Id,
    [property: Id(1)] string CompanyId,
    [property: Id(2)] string PlantId,
    [property: Id(3)] string LineId,
    [property: Id(4)] string? StationId,
    [property: Id(5)] AlarmKind Kind,
    [property: Id(6)] double Threshold,
    [property: Id(7)] double ClearThreshold,
    [property: Id(8)] double ForMinutes,
    [property: Id(9)] bool Enabled)
{
    public Queries.MetricsScope Scope => new(CompanyId, PlantId, LineId, StationId);
}
