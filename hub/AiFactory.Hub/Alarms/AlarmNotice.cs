namespace AiFactory.Hub.Alarms;

/// <summary>What the webhook and MQTT receive: <c>raised</c>, <c>cleared</c> or <c>acknowledged</c>, and the alarm as it is now.</summary>
public sealed record AlarmNotice(string Event, AlarmRecord Alarm);
