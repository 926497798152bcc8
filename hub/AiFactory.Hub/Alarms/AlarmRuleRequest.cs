namespace AiFactory.Hub.Alarms;

/// <summary>The body that creates or replaces an alarm rule (<c>POST/PUT …/alarm-rules</c>, or the dashboard's form).</summary>
public sealed record AlarmRuleRequest(
    string? Plant,
    string? Line,
    string? Station,
    string? Kind,
    double? Threshold,
    double? ClearThreshold,
    double? ForMinutes,
    bool? Enabled);
