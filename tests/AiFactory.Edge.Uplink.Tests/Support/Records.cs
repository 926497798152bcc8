using AiFactory.Contracts;
using AiFactory.Edge.Uplink.Outbox;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>Small, recognisable outbox items: the event's score carries a number the test can find again.</summary>
internal static class Records
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static OutboxItem Event(int n, string station = "s1") =>
        OutboxItem.Of(new StationEvent("c1", "p1", "l1", station, T0.AddSeconds(n), "anomaly", n, null, "pump-anomaly", "1.0.0"));

    public static OutboxItem[] Events(int from, int count) => Enumerable.Range(from, count).Select(n => Event(n)).ToArray();

    public static OutboxItem Summary(long frames)
    {
        var h = new MergeableHistogram([1.0]).ToData();
        return OutboxItem.Of(new StationWindowSummary("edge-1", "c1", "p1", "l1", "s1", "m", "1", T0, T0.AddSeconds(10), frames, frames, 0, new Dictionary<string, long>(), 0, h, h, []));
    }

    /// <summary>The bytes one event takes in the outbox (every event built here has the same size for one-digit n).</summary>
    public static int EventBytes(int n) => OutboxPayload.Encode(Event(n)).Payload.Length;

    public static int NumberOf(OutboxEntry entry) => (int)OutboxPayload.Decode(entry, out _)!.Event!.Score;
}
