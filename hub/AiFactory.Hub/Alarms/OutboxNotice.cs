namespace AiFactory.Hub.Alarms;

/// <summary>One notice for one target as the outbox holds it: its JSON body, how often it was tried, when next, and who holds it.</summary>
public sealed record OutboxNotice(
    long Seq, string Id, string Target, string AlarmId, string CompanyId, string PlantId, string LineId, string? StationId, string Event, string Body,
    long Attempts, DateTimeOffset NextUtc, DateTimeOffset? ClaimedUntil);
