using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// One edge's count after a scenario: what its outbox committed against what the hub applied (by sequence), and the
/// frames and events of the records it sent (the tap saw each sequence) against the hub's buckets and events.
/// </summary>
internal sealed record EdgeTally(string Edge, OutboxLedger Outbox, HubCounts Hub, long SentFrames, long SentEvents, int SentSequences, int WindowsNotStored)
{
    /// <summary>Committed sequences the hub did not apply.</summary>
    public long Lost => Math.Max(0, Outbox.Committed - Hub.Records);

    /// <summary>Records the hub applied beyond the committed sequences (a resent record applied again).</summary>
    public long Doubled => Math.Max(0, Hub.Records - Outbox.Committed);

    public static async Task<EdgeTally> CountAsync(DrillEdge edge, DrillHub hub)
    {
        var sent = edge.Tap.Records.Values;
        return new EdgeTally(
            edge.Id, OutboxLedger.Read(edge.Outbox), await hub.CountAsync(edge.Id),
            sent.Sum(r => r.Summary?.FramesScored ?? 0), sent.Count(r => r.Event is not null), sent.Count, edge.WindowsNotStored);
    }

    /// <summary>Windows the outbox could not store (a full disk): never committed, so neither lost nor doubled, but said.</summary>
    public string? Uncommitted => WindowsNotStored > 0 ? $"{Edge}: {WindowsNotStored} station windows could not be stored in the outbox (never committed, logged by the agent)" : null;

    /// <summary>What does not add up, in words (empty when all does).</summary>
    public IEnumerable<string> Problems()
    {
        if (Outbox.Waiting > 0)
        {
            yield return $"{Edge}: {Outbox.Waiting} records still wait in the outbox";
        }

        if (Outbox.Dropped + Outbox.Refused + Outbox.DeadLettered > 0)
        {
            yield return $"{Edge}: the outbox dropped {Outbox.Dropped}, refused {Outbox.Refused}, dead-lettered {Outbox.DeadLettered}";
        }

        if (SentSequences != Outbox.Committed)
        {
            yield return $"{Edge}: {Outbox.Committed} sequences committed ({Outbox.FirstSequence}..{Outbox.NextSequence - 1}), {SentSequences} reached the hub's side";
        }

        if (Hub.LastSequence != Outbox.NextSequence - 1)
        {
            yield return $"{Edge}: the hub's high-water mark is {Hub.LastSequence}, the last committed sequence {Outbox.NextSequence - 1}";
        }

        if (SentFrames != Hub.Frames || SentEvents != Hub.Events)
        {
            yield return $"{Edge}: frames sent {SentFrames}, in the hub's buckets {Hub.Frames}; events sent {SentEvents}, stored {Hub.Events}";
        }
    }
}
