using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>
/// Looks into an outbox file from outside the agent, while it runs or not (<c>aifactory-edge outbox</c>): what waits,
/// the dead letters, and their requeue. SQLite's WAL lets these reads run beside the agent's writes; a requeue is one
/// short write transaction, which the agent notices and rereads (<see cref="OutboxStore"/>). Never creates a file and
/// never changes the journal mode.
/// </summary>
public sealed class OutboxInspector : IDisposable
{
    private readonly SqliteConnection _db;

    private OutboxInspector(SqliteConnection db, string path)
    {
        _db = db;
        Path = path;
    }

    public string Path { get; }

    /// <exception cref="OutboxException">No such file, not an outbox, or unreadable; the message names the file and the problem.</exception>
    public static OutboxInspector Open(string path, bool write = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new OutboxException($"outbox '{full}': no such file (is the path the one in the configuration's uplink.outbox.path, relative to the configuration file?)");
        }

        SqliteConnection? db = null;
        try
        {
            db = OutboxSql.Open(full, write ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly);
            var tables = OutboxSql.Scalar(db, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('outbox_meta', 'outbox_records', 'outbox_dead_letters')");
            if (tables != 3)
            {
                throw new OutboxException($"outbox '{full}': a SQLite database but not an outbox ({tables} of its 3 tables)");
            }

            return new OutboxInspector(db, full);
        }
        catch (SqliteException ex)
        {
            db?.Dispose();
            throw Failed(full, "cannot read it", ex);
        }
        catch (OutboxException)
        {
            db?.Dispose();
            throw;
        }
    }

    /// <summary>Whether an agent holds the file now (its lock file is locked).</summary>
    public bool AgentRunning
    {
        get
        {
            try
            {
                using var probe = new FileStream(OutboxLock.PathFor(Path), FileMode.Open, FileAccess.Read, FileShare.None);
                return false;
            }
            catch (FileNotFoundException)
            {
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }
    }

    public OutboxStatus Status()
    {
        try
        {
            using var tx = _db.BeginTransaction(deferred: true);
            using var command = OutboxSql.Command(_db, tx, "SELECT count(*), coalesce(sum(length(payload)), 0), min(seq), max(seq), (SELECT created_ms FROM outbox_records ORDER BY seq LIMIT 1), (SELECT count(*) FROM outbox_dead_letters) FROM outbox_records");
            using var reader = command.ExecuteReader();
            reader.Read();
            long? Nullable(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
            long Meta(string key) => OutboxSql.ReadMeta(_db, tx, key) ?? 0;
            return new OutboxStatus(
                Path,
                AgentRunning,
                reader.GetInt64(0),
                reader.GetInt64(1),
                Nullable(2),
                Nullable(3),
                Nullable(4) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
                reader.GetInt64(5),
                Meta(OutboxSchema.NextSequence),
                Meta(OutboxSchema.DroppedOldest),
                Meta(OutboxSchema.RejectedNew),
                Meta(OutboxSchema.Quarantined),
                Meta(OutboxSchema.DeadLettered));
        }
        catch (SqliteException ex)
        {
            throw Failed(Path, "cannot read its state", ex);
        }
    }

    /// <summary>The oldest waiting records, or the dead letters, up to <paramref name="limit"/>, without their payloads.</summary>
    public IReadOnlyList<OutboxListing> List(bool deadLetters, int limit)
    {
        var sql = deadLetters
            ? "SELECT seq, created_ms, kind, length(payload), dead_ms, reason FROM outbox_dead_letters ORDER BY seq LIMIT $n"
            : "SELECT seq, created_ms, kind, length(payload), NULL, NULL FROM outbox_records ORDER BY seq LIMIT $n";
        try
        {
            var result = new List<OutboxListing>();
            using var command = OutboxSql.Command(_db, null, sql, ("$n", (long)limit));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(new OutboxListing(
                    reader.GetInt64(0),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    (OutboxRecordKind)reader.GetInt64(2),
                    reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw Failed(Path, "cannot list it", ex);
        }
    }

    /// <summary>Puts every dead letter back in the backlog under a new sequence; returns how many. Needs <c>Open(path, write: true)</c>.</summary>
    public int RequeueDeadLetters()
    {
        try
        {
            using var tx = _db.BeginTransaction();
            var count = OutboxSql.RequeueDeadLetters(_db, tx, OutboxSql.ReadMeta(_db, tx, OutboxSchema.NextSequence) ?? 0);
            tx.Commit();
            return count;
        }
        catch (SqliteException ex) when (OutboxSql.IsBusy(ex))
        {
            throw new OutboxException($"outbox '{Path}': the agent kept the file busy for longer than 5 s; nothing was requeued, try again ({ex.Message})", ex);
        }
        catch (SqliteException ex)
        {
            throw Failed(Path, "cannot requeue its dead letters (nothing was requeued)", ex);
        }
    }

    public void Dispose() => _db.Dispose();

    private static OutboxException Failed(string path, string what, SqliteException ex) => new($"outbox '{path}': {what}: {ex.Message}", ex);
}
