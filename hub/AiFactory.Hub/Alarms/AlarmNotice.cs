namespace AiFactory.Hub.Alarms;

/// <summary>
/// What the webhook and MQTT receive: <c>raised</c>, <c>cleared</c> or <c>acknowledged</c>, and the alarm as it was
/// then. <paramref name="Id"/> is the notice's own id, the same on every attempt and target: delivery is at least once,
/// so a receiver drops an id it has seen.
/// </summary>
public sealed record AlarmNotice(string Id, string Event, AlarmRecord Alarm);
