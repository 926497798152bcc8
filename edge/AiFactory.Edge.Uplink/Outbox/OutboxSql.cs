using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>Small helpers over one connection: commands with parameters, scalars, and the meta key/value table.</summary>
internal static class OutboxSql
{
    /// <summary>SQLITE_BUSY and SQLITE_LOCKED: another connection holds the file.</summary>
    public static bool IsBusy(SqliteException ex) => ex.SqliteErrorCode is 5 or 6;

    public static SqliteConnection Open(string path, SqliteOpenMode mode, int timeoutSeconds = 5)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // Without pooling, closing the connection closes the file, so a corrupt file can be moved aside.
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        };
        var db = new SqliteConnection(builder.ToString());
        db.Open();
        return db;
    }

    public static SqliteCommand Command(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    public static int Execute(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(db, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static long? Scalar(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(db, tx, sql, parameters);
        return command.ExecuteScalar() is long value ? value : null;
    }

    public static long? ReadMeta(SqliteConnection db, SqliteTransaction? tx, string key) =>
        Scalar(db, tx, "SELECT value FROM outbox_meta WHERE key = $key", ("$key", key));

    public static void WriteMeta(SqliteConnection db, SqliteTransaction tx, string key, long value) =>
        Execute(db, tx, "INSERT INTO outbox_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("$key", key), ("$value", value));

    /// <summary>Sets a meta value only upwards.</summary>
    public static void RaiseMeta(SqliteConnection db, SqliteTransaction tx, string key, long value) =>
        Execute(db, tx, "INSERT INTO outbox_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)", ("$key", key), ("$value", value));

    public static void InsertRecord(SqliteConnection db, SqliteTransaction tx, long seq, long createdMs, OutboxRecordKind kind, byte[] payload) =>
        Execute(db, tx, "INSERT INTO outbox_records (seq, created_ms, kind, payload) VALUES ($seq, $created, $kind, $payload)", ("$seq", seq), ("$created", createdMs), ("$kind", (long)kind), ("$payload", payload));

    public static void InsertDeadLetter(SqliteConnection db, SqliteTransaction tx, DeadLetter letter) =>
        Execute(
            db,
            tx,
            "INSERT OR IGNORE INTO outbox_dead_letters (seq, created_ms, kind, payload, dead_ms, reason) VALUES ($seq, $created, $kind, $payload, $dead, $reason)",
            ("$seq", letter.Sequence),
            ("$created", letter.CreatedUtc.ToUnixTimeMilliseconds()),
            ("$kind", (long)letter.Kind),
            ("$payload", letter.Payload),
            ("$dead", letter.DeadUtc.ToUnixTimeMilliseconds()),
            ("$reason", letter.Reason));

    /// <summary>
    /// Moves every dead letter back into the backlog under new sequences from <paramref name="next"/> on (the hub's
    /// mark has passed the old ones) and stores the next sequence; returns how many moved.
    /// </summary>
    public static int RequeueDeadLetters(SqliteConnection db, SqliteTransaction tx, long next)
    {
        var letters = new List<DeadLetter>();
        using (var command = Command(db, tx, "SELECT seq, created_ms, kind, payload, dead_ms, reason FROM outbox_dead_letters ORDER BY seq"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                letters.Add(ReadDeadLetter(reader));
            }
        }

        next = Math.Max(next, ReadMeta(db, tx, OutboxSchema.NextSequence) ?? next);
        foreach (var letter in letters)
        {
            InsertRecord(db, tx, next++, letter.CreatedUtc.ToUnixTimeMilliseconds(), letter.Kind, letter.Payload);
        }

        Execute(db, tx, "DELETE FROM outbox_dead_letters");
        WriteMeta(db, tx, OutboxSchema.NextSequence, next);
        return letters.Count;
    }

    public static OutboxEntry ReadEntry(SqliteDataReader reader) =>
        new(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), (OutboxRecordKind)reader.GetInt64(2), (byte[])reader.GetValue(3));

    public static DeadLetter ReadDeadLetter(SqliteDataReader reader) =>
        new(
            reader.GetInt64(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            (OutboxRecordKind)reader.GetInt64(2),
            (byte[])reader.GetValue(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            reader.GetString(5));
}
