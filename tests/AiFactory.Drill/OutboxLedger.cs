using Microsoft.Data.Sqlite;

namespace AiFactory.Drill;

/// <summary>
/// What an edge committed, read from its outbox file (read-only, also while the agent runs): every sequence from
/// first_seq (the lowest the file ever held) below next_seq was committed once; what still waits, and what the
/// outbox's own policies dropped, refused or dead-lettered.
/// </summary>
internal sealed record OutboxLedger(long FirstSequence, long NextSequence, long Waiting, long Dropped, long Refused, long DeadLettered)
{
    public long Committed => NextSequence - FirstSequence;

    public static OutboxLedger Read(string path)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        var meta = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT key, value FROM outbox_meta";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                meta[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        using var count = db.CreateCommand();
        count.CommandText = "SELECT count(*) FROM outbox_records";
        var waiting = (long)count.ExecuteScalar()!;
        return new OutboxLedger(
            meta.GetValueOrDefault("first_seq"), meta.GetValueOrDefault("next_seq"), waiting,
            meta.GetValueOrDefault("dropped_oldest"), meta.GetValueOrDefault("rejected_new"), meta.GetValueOrDefault("dead_lettered"));
    }
}
