namespace AiFactory.Edge.Live;

/// <summary>
/// Watches a configuration file and calls back once its edits have settled: every change (editors write, rename
/// and truncate in several steps) restarts a debounce timer, and only its expiry reloads.
/// </summary>
public sealed class ConfigWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _debounce;
    private readonly TimeSpan _quiet;
    private long _changes;

    public ConfigWatcher(string file, TimeSpan quiet, TimeProvider time, Action settled)
    {
        var full = Path.GetFullPath(file);
        _quiet = quiet;
        _debounce = time.CreateTimer(_ => settled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Touch();
        _watcher.Created += (_, _) => Touch();
        _watcher.Renamed += (_, _) => Touch();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>File-system events seen so far.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }

    private void Touch()
    {
        Interlocked.Increment(ref _changes);
        _debounce.Change(_quiet, Timeout.InfiniteTimeSpan);
    }
}
