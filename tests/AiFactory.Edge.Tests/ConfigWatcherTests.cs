using AiFactory.Edge.Live;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Unit")]
public sealed class ConfigWatcherTests : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-watch-").FullName;
    private readonly FakeTimeProvider _clock = new();
    private int _settled;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Edit_AfterQuietPeriod_CallsBackOnce()
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, "a: 1\n");
        using var watcher = new ConfigWatcher(file, Quiet, _clock, () => Interlocked.Increment(ref _settled));

        File.WriteAllText(file, "a: 2\n");
        await Eventually.WaitFor(() => watcher.Changes > 0, "the watcher seeing the edit");
        _clock.Advance(Quiet - TimeSpan.FromMilliseconds(1));
        var early = Volatile.Read(ref _settled);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, early);
        Assert.Equal(1, Volatile.Read(ref _settled));
    }

    [Fact]
    public async Task SecondEditWithinQuietPeriod_RestartsTheWait()
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, "a: 1\n");
        using var watcher = new ConfigWatcher(file, Quiet, _clock, () => Interlocked.Increment(ref _settled));

        File.WriteAllText(file, "a: 2\n");
        await Eventually.WaitFor(() => watcher.Changes > 0, "the first edit");
        _clock.Advance(Quiet / 2);
        var seen = watcher.Changes;
        File.WriteAllText(file, "a: 3\n");
        await Eventually.WaitFor(() => watcher.Changes > seen, "the second edit");
        _clock.Advance(Quiet / 2);
        var afterFirstQuiet = Volatile.Read(ref _settled);
        _clock.Advance(Quiet);

        Assert.Equal(0, afterFirstQuiet);
        Assert.Equal(1, Volatile.Read(ref _settled));
    }

    [Fact]
    public async Task OtherFileInFolder_IsIgnored()
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, "a: 1\n");
        using var watcher = new ConfigWatcher(file, Quiet, _clock, () => Interlocked.Increment(ref _settled));

        File.WriteAllText(Path.Combine(_dir, "other.yaml"), "b: 1\n");
        File.WriteAllText(file, "a: 2\n");
        await Eventually.WaitFor(() => watcher.Changes > 0, "the edit of the watched file");
        var changes = watcher.Changes;
        _clock.Advance(Quiet);

        Assert.Equal(1, Volatile.Read(ref _settled));
        Assert.InRange(changes, 1, 3); // one write: Changed (and possibly Size/Attribute) events of line.yaml only
    }
}
