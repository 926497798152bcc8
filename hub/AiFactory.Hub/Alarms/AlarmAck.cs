namespace AiFactory.Hub.Alarms;

/// <summary>The body of <c>POST …/alarms/{id}/ack</c>: why the alarm is acknowledged.</summary>
public sealed record AlarmAck(string? Comment);
