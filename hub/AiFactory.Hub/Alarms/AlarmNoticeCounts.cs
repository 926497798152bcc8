namespace AiFactory.Hub.Alarms;

/// <summary>A company's alarm notices for one target (<c>webhook</c> or <c>mqtt</c>): waiting or being retried, given up, delivered.</summary>
public sealed record AlarmNoticeCounts(string Target, long Pending, long Failed, long Delivered, DateTimeOffset? OldestPendingUtc);
