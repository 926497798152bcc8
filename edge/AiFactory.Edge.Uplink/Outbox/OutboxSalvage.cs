using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>
/// Reads whatever still can be read from an outbox file that was found corrupt: every record and dead letter
/// whose page is intact (keeping its sequence), and the counters. Walks the records by sequence and, where a
/// page cannot be read, seeks past it with growing steps, so one bad page does not cost the rest of the file.
/// </summary>
internal static class OutboxSalvage
{
    private const int MaxFailures = 256;

    public static SalvageResult Read(string file)
    {
        var problems = new List<string>();
        var records = new List<OutboxEntry>();
        var deadLetters = new List<DeadLetter>();
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            using var db = OutboxSql.Open(file, SqliteOpenMode.ReadOnly);

            // A truncated file holds fewer pages than its header says; SQLite then refuses every statement unless the
            // schema is treated as writable, which also lets it read the pages that are still there.
            OutboxSql.Execute(db, null, "PRAGMA writable_schema=ON");
            foreach (var key in OutboxSchema.CounterKeys.Append(OutboxSchema.NextSequence))
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

            Walk(db, "SELECT seq, created_ms, kind, payload FROM outbox_records WHERE seq > $after ORDER BY seq", r => records.Add(OutboxSql.ReadEntry(r)), "records", problems);
            Walk(db, "SELECT seq, created_ms, kind, payload, dead_ms, reason FROM outbox_dead_letters WHERE seq > $after ORDER BY seq", r => deadLetters.Add(OutboxSql.ReadDeadLetter(r)), "dead letters", problems);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            problems.Add(ex.Message);
        }

        return new SalvageResult(records, deadLetters, counters, problems);
    }

    private static void Walk(SqliteConnection db, string sql, Action<SqliteDataReader> take, string what, List<string> problems)
    {
        var after = long.MinValue;
        long step = 1;
        var failures = 0;
        while (true)
        {
            try
            {
                using var command = OutboxSql.Command(db, null, sql, ("$after", after));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var seq = reader.GetInt64(0);
                    take(reader);
                    after = seq;
                    step = 1;
                }

                return;
            }
            catch (Exception ex) when (ex is SqliteException or InvalidCastException or InvalidOperationException)
            {
                if (++failures == 1)
                {
                    problems.Add($"{what} after sequence {(after == long.MinValue ? "start" : after.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {ex.Message}");
                }

                // A missing table (SQLITE_ERROR) will not appear further on; a damaged page (SQLITE_CORRUPT) may be skipped.
                if (failures >= MaxFailures || after == long.MaxValue || ex is SqliteException { SqliteErrorCode: 1 })
                {
                    return;
                }

                // Seek past the unreadable page: next sequence, then ever larger jumps.
                after = long.MaxValue - after < step ? long.MaxValue : after + step;
                step = step > long.MaxValue / 2 ? long.MaxValue : step * 2;
            }
        }
    }
}
