namespace AiFactory.Hub.Alarms;

/// <summary>One alarm: raised by a rule, maybe acknowledged (who, when, why), maybe cleared.</summary>
/// <param name="Id">The alarm's id.</param>
/// <param name="RuleId">The rule that raised it.</param>
/// <param name="CompanyId">Owning company.</param>
/// <param name="PlantId">Plant.</param>
/// <param name="LineId">Line.</param>
/// <param name="StationId">Station; null for a line rule.</param>
/// <param name="Kind">The rule's kind (wire name).</param>
/// <param name="Threshold">The rule's threshold when raised.</param>
/// <param name="RaisedUtc">When it was raised.</param>
/// <param name="RaisedValue">The value that raised it.</param>
/// <param name="ClearedUtc">When it cleared; null while active.</param>
/// <param name="ClearedValue">The value that cleared it.</param>
/// <param name="AckedUtc">When it was acknowledged.</param>
/// <param name="AckedBy">Who acknowledged it (the key's name and id).</param>
/// <param name="AckComment">Their comment.</param>
public sealed record AlarmRecord(
    string Id,
    string RuleId,
    string CompanyId,
    string PlantId,
    string LineId,
    string? StationId,
    string Kind,
    double Threshold,
    DateTimeOffset RaisedUtc,
    double RaisedValue,
    DateTimeOffset? ClearedUtc,
    double? ClearedValue,
    DateTimeOffset? AckedUtc,
    string? AckedBy,
    string? AckComment)
{
    public bool Active => ClearedUtc is null;
}
