using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Outbox;

/// <summary>The outbox on a small tmpfs of its own, full: what opening it says, and that what it held survives.</summary>
[Trait("Category", "Integration")]
public sealed class OutboxFullDiskTests : IDisposable
{
    private const int Page = 4096;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// With 0 to 24 pages left, opening stops at different steps (checking the file, SQLite's shared-memory index of 8
    /// pages, loading it, which writes the sequence): each either opens or throws an outbox error naming the file and the
    /// disk, never a bare SQLite error (loading on a full disk threw one, and the agent exited 1 with a stack trace
    /// instead of its message and exit 2).
    /// </summary>
    [TmpfsFact]
    public void Open_WithTheDiskFullToAnyPage_OpensOrSaysTheFileAndTheDiskAndKeepsEveryRecord()
    {
        using var disk = TmpfsMount.TryMount(_folder.File("disk"), 2, out var why) ?? throw new InvalidOperationException(why);
        var path = Path.Combine(disk.Path, "outbox.db");
        var refused = new List<string>();
        var opened = 0;
        for (var left = 0; left <= 24; left++)
        {
            foreach (var file in Directory.GetFiles(disk.Path))
            {
                File.Delete(file);
            }

            using (var outbox = Open(path))
            {
                outbox.Append(Records.Events(1, 20));
            }

            disk.Fill(left * Page);
            try
            {
                Open(path).Dispose();
                opened++;
            }
            catch (OutboxException ex)
            {
                Assert.StartsWith($"outbox '{path}': cannot ", ex.Message, StringComparison.Ordinal);
                Assert.Contains("disk", ex.Message, StringComparison.Ordinal);
                refused.Add(ex.Message);
            }

            disk.Free();
            using var reopened = Open(path);
            Assert.Equal(Enumerable.Range(1, 20), reopened.Peek(100, long.MaxValue).Select(Records.NumberOf));
        }

        Assert.True(opened > 0, "not one open with room to write");
        Assert.True(refused.Count > 0, "not one open refused on a full disk");
    }

    private static OutboxStore Open(string path) => OutboxStore.Open(new OutboxOptions { Path = path, MaxBytes = 1 << 20, MaxAge = TimeSpan.FromDays(7) });
}
