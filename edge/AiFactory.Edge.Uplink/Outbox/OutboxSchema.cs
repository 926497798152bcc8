namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>The outbox file's tables. Sequences live in outbox_meta so that deleting records never lets one be reused.</summary>
internal static class OutboxSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS outbox_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbox_records (seq INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, kind INTEGER NOT NULL, payload BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox_dead_letters (seq INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, kind INTEGER NOT NULL, payload BLOB NOT NULL, dead_ms INTEGER NOT NULL, reason TEXT NOT NULL);
        """;

    public const string NextSequence = "next_seq";
    public const string DroppedOldest = "dropped_oldest";
    public const string RejectedNew = "rejected_new";
    public const string Quarantined = "quarantined";
    public const string DeadLettered = "dead_lettered";

    /// <summary>No record or dead letter in the file has a lower sequence (kept so that a salvage knows where to search).</summary>
    public const string FirstSequence = "first_seq";

    /// <summary>Every record up to this sequence was acknowledged and deleted: waiting records lie above it.</summary>
    public const string AckedUpTo = "acked_up_to";

    public static readonly string[] CounterKeys = [DroppedOldest, RejectedNew, Quarantined, DeadLettered];

    /// <summary>The keys that bound the sequences a salvage searches.</summary>
    public static readonly string[] BoundKeys = [NextSequence, FirstSequence, AckedUpTo];

    /// <summary>
    /// The first sequence of an outbox that has no history: microseconds since 1970. An outbox file that was
    /// deleted or lost thus never hands out a sequence the hub has already applied for this edge (the hub skips
    /// those as duplicates), as long as fewer than a million records a second were produced and the clock did not
    /// go back.
    /// </summary>
    public static long SequenceFloor(DateTimeOffset now) => (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);
}
