namespace AiFactory.Hub.Alarms;

/// <summary>An alarm rule as the API shows it (the kind by its wire name).</summary>
public sealed record AlarmRuleView(
    string Id, string Plant, string Line, string? Station, string Kind, double Threshold, double ClearThreshold, double ForMinutes, bool Enabled)
{
    public static AlarmRuleView Of(AlarmRule r) =>
        new(r.Id, r.PlantId, r.LineId, r.StationId, AlarmKinds.Name(r.Kind), r.Threshold, r.ClearThreshold, r.ForMinutes, r.Enabled);
}
