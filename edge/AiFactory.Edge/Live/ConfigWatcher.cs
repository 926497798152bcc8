namespace AiFactory.Edge.Live;

/// <summary>
/// Watches the configuration file (in place edits, and editors that save by writing a new file and renaming it)
/// and calls back once the file has been quiet for a moment: every change restarts the wait.
/// </summary>
public sealed class ConfigWatcher : IDisposable
{
    /// <summary>How long the file must stay unchanged after an edit before the callback.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromMilliseconds(400);

    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _debounce;
    private readonly TimeSpan _quiet;
    private long _changes;

    public ConfigWatcher(string file, Action changed)
        : this(file, DefaultQuiet, TimeProvider.System, changed)
    {
    }

    /// <param name="time">The clock the quiet period is measured on.</param>
    public ConfigWatcher(string file, TimeSpan quiet, TimeProvider time, Action changed)
    {
        var full = Path.GetFullPath(file);
        _quiet = quiet;
        _debounce = time.CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Touch();
        _watcher.Created += (_, _) => Touch();
        _watcher.Renamed += (_, _) => Touch();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>File-system events seen for the file so far.</summary>
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
