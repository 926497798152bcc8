using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>
/// Reads whatever still can be read from an outbox file that was found corrupt: every record and dead letter that a
/// read of that row alone can return (keeping its sequence), and the counters. The sequences searched lie between
/// the bounds the file keeps (<see cref="OutboxSchema.FirstSequence"/>, <see cref="OutboxSchema.AckedUpTo"/>,
/// <see cref="OutboxSchema.NextSequence"/>) where they are readable; <see cref="SalvageWalk{T}"/> does the search.
/// </summary>
internal static class OutboxSalvage
{
    /// <summary>
    /// Reads per table before giving up. Damaged pages cost about two reads per sequence under them (a thousand
    /// records: a few thousand reads, well under a second); the bound only stops a search whose bounds were lost with
    /// the meta table from running for hours (at most a few seconds).
    /// </summary>
    public const int MaxReads = 50_000;

    public static SalvageResult Read(string file)
    {
        var problems = new List<string>();
        IReadOnlyList<OutboxEntry> records = [];
        IReadOnlyList<DeadLetter> deadLetters = [];
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            using var db = OutboxSql.Open(file, SqliteOpenMode.ReadOnly);

            // A truncated file holds fewer pages than its header says; SQLite then refuses every statement unless the
            // schema is treated as writable, which also lets it read the pages that are still there.
            OutboxSql.Execute(db, null, "PRAGMA writable_schema=ON");
            foreach (var key in OutboxSchema.CounterKeys.Concat(OutboxSchema.BoundKeys))
            {
                try
                {
                    if (OutboxSql.ReadMeta(db, null, key) is { } value)
                    {
                        counters[key] = value;
                    }
                }
                catch (SqliteException ex)
                {
                    problems.Add($"counter {key}: {ex.Message}");
                }
            }

            var first = counters.TryGetValue(OutboxSchema.FirstSequence, out var f) ? f : long.MinValue;
            var last = counters.TryGetValue(OutboxSchema.NextSequence, out var n) && n > long.MinValue ? n - 1 : long.MaxValue;
            var acked = counters.TryGetValue(OutboxSchema.AckedUpTo, out var a) && a < long.MaxValue ? a + 1 : long.MinValue;
            records = Walk(db, "seq, created_ms, kind, payload", "outbox_records", OutboxSql.ReadEntry, "records", Math.Max(first, acked), last, problems);
            deadLetters = Walk(db, "seq, created_ms, kind, payload, dead_ms, reason", "outbox_dead_letters", OutboxSql.ReadDeadLetter, "dead letters", first, last, problems);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            problems.Add(ex.Message);
        }

        return new SalvageResult(records, deadLetters, counters, problems);
    }

    private static IReadOnlyList<T> Walk<T>(SqliteConnection db, string columns, string table, Func<SqliteDataReader, T> read, string what, long from, long to, List<string> problems)
    {
        using var walk = new SalvageWalk<T>(db, table, columns, read, what, MaxReads);
        if (from <= to)
        {
            walk.Run(from, to);
        }

        problems.AddRange(walk.Problems);
        return walk.Rows;
    }
}
