namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>
/// One agent per outbox: an exclusive lock on <c>&lt;outbox&gt;.lock</c> (an advisory flock on Linux, which the
/// kernel drops when the process dies, kill -9 included). The database itself stays in SQLite's normal locking mode,
/// so that <c>aifactory-edge outbox</c> and the sqlite3 tool can read it, and requeue dead letters, while the agent runs.
/// </summary>
internal sealed class OutboxLock : IDisposable
{
    private readonly FileStream _file;

    private OutboxLock(FileStream file) => _file = file;

    public static string PathFor(string outbox) => outbox + ".lock";

    /// <exception cref="OutboxException">Another process holds the lock, or the lock file cannot be created.</exception>
    public static OutboxLock Take(string outbox)
    {
        var path = PathFor(outbox);
        try
        {
            return new OutboxLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new OutboxException($"outbox '{outbox}' is in use by another process (is another agent running with this outbox? stop it first): {path} is locked ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new OutboxException($"outbox '{outbox}': cannot create its lock file {path}: {ex.Message}", ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
