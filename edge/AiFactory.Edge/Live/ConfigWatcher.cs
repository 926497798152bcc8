namespace AiFactory.Edge.Live;

/// <summary>
/// Watches the configuration file (in place edits, and editors that save by writing a new file and renaming it)
/// and calls back once the file has been quiet for a moment.
/// </summary>
internal sealed class ConfigWatcher : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;

    public ConfigWatcher(string file, Action changed)
    {
        var full = Path.GetFullPath(file);
        _debounce = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Touch();
        _watcher.Created += (_, _) => Touch();
        _watcher.Renamed += (_, _) => Touch();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }

    private void Touch() => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
}
