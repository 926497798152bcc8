using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>Decides at open whether an existing outbox file is sound, and moves a corrupt one (with its -wal and -shm) aside.</summary>
internal static class OutboxFile
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>Null when the file is a usable outbox; else why it is corrupt.</summary>
    /// <exception cref="OutboxException">The file cannot be opened for a reason other than corruption.</exception>
    public static string? Check(string path)
    {
        try
        {
            using var db = OutboxSql.Open(path, SqliteOpenMode.ReadWrite, timeoutSeconds: 1);
            var findings = new List<string>();
            using (var command = OutboxSql.Command(db, null, "PRAGMA integrity_check"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read() && findings.Count < 5)
                {
                    findings.Add(reader.GetString(0));
                }
            }

            if (findings is not ["ok"])
            {
                return $"integrity_check: {string.Join("; ", findings)}";
            }

            var ours = OutboxSql.Scalar(db, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('outbox_meta', 'outbox_records', 'outbox_dead_letters')");
            var all = OutboxSql.Scalar(db, null, "SELECT count(*) FROM sqlite_master");
            return all > 0 && ours != 3 ? $"a SQLite database but not an outbox ({ours} of its 3 tables, {all} schema objects)" : null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            return ex.Message;
        }
        catch (SqliteException ex) when (OutboxSql.IsBusy(ex))
        {
            throw InUse(path, ex);
        }
        catch (SqliteException ex)
        {
            throw new OutboxException($"outbox '{path}': cannot open it: {ex.Message}", ex);
        }
    }

    public static OutboxException InUse(string path, SqliteException ex) =>
        new($"outbox '{path}' is in use by another process (is another agent running with this outbox? stop it first): {ex.Message}", ex);

    /// <summary>Moves the file and its -wal and -shm to <c>&lt;name&gt;.corrupt-&lt;utc&gt;</c>; returns the new name.</summary>
    public static string MoveAside(string path, DateTimeOffset now)
    {
        var aside = $"{path}.corrupt-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}";
        for (var n = 1; File.Exists(aside); n++)
        {
            aside = $"{path}.corrupt-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{n}";
        }

        try
        {
            File.Move(path, aside);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(path + suffix))
                {
                    File.Move(path + suffix, aside + suffix);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutboxException($"outbox '{path}' is corrupt and cannot be moved aside to '{aside}': {ex.Message}", ex);
        }

        return aside;
    }
}
