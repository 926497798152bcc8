using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Testing;
using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>Outbox files for the damage tests: one filled with numbered events, and the records a single-record read still finds in a damaged one.</summary>
internal static class FilledOutbox
{
    /// <summary>
    /// Writes events n = 1..<paramref name="total"/> + <paramref name="churn"/> (~150 bytes each, many pages); once half
    /// are written, deletes the first <paramref name="churn"/> as an acknowledgement would, so that later records reuse
    /// their pages and the file's page order no longer follows the sequence order. Closes the file and moves the clock a
    /// day on; returns n → sequence for the records that stay.
    /// </summary>
    public static Dictionary<int, long> Fill(string path, FakeTimeProvider time, int total, int churn = 0)
    {
        var written = new Dictionary<int, long>();
        var all = total + churn;
        using var outbox = OutboxStore.Open(new OutboxOptions { Path = path }, time: time);
        for (var n = 1; n <= all; n += 100)
        {
            var seqs = outbox.Append(Records.Events(n, Math.Min(100, all - n + 1))).Sequences;
            for (var i = 0; i < seqs.Count; i++)
            {
                written[n + i] = seqs[i];
            }

            if (churn > 0 && n <= all / 2 && n + 100 > all / 2)
            {
                outbox.DeleteUpTo(written[churn]);
                for (var d = 1; d <= churn; d++)
                {
                    written.Remove(d);
                }
            }
        }

        time.Advance(TimeSpan.FromDays(1));
        return written;
    }

    /// <summary>
    /// The sequences that a read of that one record (<c>WHERE seq = s</c>) returns whole from a copy of the damaged
    /// file: what a salvage must recover, no more and no less.
    /// </summary>
    public static long[] ReadableOneByOne(string damaged, IEnumerable<long> sequences)
    {
        var copy = damaged + ".probe";
        File.Copy(damaged, copy);
        try
        {
            var readable = new List<long>();
            var connection = new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            using var db = new SqliteConnection(connection);
            db.Open();
            using (var pragma = db.CreateCommand())
            {
                // As salvage does: a truncated file is otherwise refused as a whole.
                pragma.CommandText = "PRAGMA writable_schema=ON";
                pragma.ExecuteNonQuery();
            }

            foreach (var seq in sequences)
            {
                try
                {
                    using var command = db.CreateCommand();
                    command.CommandText = "SELECT seq, created_ms, kind, payload FROM outbox_records WHERE seq = $seq";
                    command.Parameters.AddWithValue("$seq", seq);
                    using var reader = command.ExecuteReader();
                    if (reader.Read() && reader.GetInt64(0) == seq && reader.GetInt64(1) != long.MinValue && reader.GetInt64(2) != long.MinValue && reader.GetValue(3) is byte[])
                    {
                        readable.Add(seq);
                    }
                }
                catch (Exception ex) when (ex is SqliteException or InvalidCastException)
                {
                }
            }

            return [.. readable];
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
