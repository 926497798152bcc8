using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Outbox;

[Trait("Category", "Unit")]
public sealed class OutboxQuarantineTests : IDisposable
{
    private const int Total = 3000;
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _folder.Dispose();

    private string PathName => _folder.File("outbox.db");

    private string[] Aside => Directory.GetFiles(_folder.Path, "outbox.db.corrupt-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Open_GarbageFile_IsMovedAsideCountedAndAFreshOutboxStarts()
    {
        var garbage = new byte[16384];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(PathName, garbage);

        using var outbox = Open();

        Assert.Equal($"{PathName}.corrupt-20260102T000000000Z", Assert.Single(Aside));
        Assert.Equal(garbage, File.ReadAllBytes(Aside[0]));
        Assert.Equal(1, outbox.Counters.Quarantined);
        Assert.Equal(1, outbox.Report().Quarantined);
        Assert.Equal(0, outbox.Counters.BacklogRecords);
        var seq = outbox.Append([Records.Event(1)]).Sequences[0];
        Assert.Equal((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10, seq);
    }

    [Fact]
    public void Open_TruncatedFile_SalvagesTheReadableRecordsWithTheirSequences()
    {
        var written = Fill();
        using (var file = new FileStream(PathName, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        using var outbox = Open();

        var salvaged = outbox.Peek(Total, long.MaxValue);
        Assert.Equal($"{PathName}.corrupt-20260103T000000000Z", Assert.Single(Aside));
        Assert.Equal(1, outbox.Counters.Quarantined);
        Assert.InRange(salvaged.Count, Total / 4, Total - 1);
        foreach (var entry in salvaged)
        {
            Assert.Equal(written[Records.NumberOf(entry)], entry.Sequence);
        }

        // A row cut where the file ends is kept, but as a dead letter: it can be inspected, never sent half-read.
        Assert.All(outbox.DeadLetters(), d => Assert.StartsWith("salvaged from the quarantined outbox but unreadable:", d.Reason, StringComparison.Ordinal));
        Assert.Equal(outbox.DeadLetters().Count, outbox.Counters.DeadLettered);

        Assert.True(outbox.Append([Records.Event(0)]).Sequences[0] > written.Values.Max(), "a new record gets a sequence above every record the file ever held");
    }

    [Fact]
    public void Open_OnePageOverwrittenMidFile_SalvagesRecordsOnBothSidesOfIt()
    {
        var written = Fill();
        var length = new FileInfo(PathName).Length;
        using (var file = new FileStream(PathName, FileMode.Open))
        {
            file.Position = (length / 2 / 4096) * 4096;
            file.Write(Enumerable.Repeat((byte)0xA5, 4096).ToArray());
        }

        using var outbox = Open();

        var numbers = outbox.Peek(Total, long.MaxValue).Select(Records.NumberOf).ToHashSet();
        Assert.Equal(1, outbox.Counters.Quarantined);
        Assert.Contains(1, numbers);
        Assert.Contains(Total, numbers);
        Assert.InRange(numbers.Count, Total - 100, Total - 1);
        Assert.All(outbox.Peek(Total, long.MaxValue), e => Assert.Equal(written[Records.NumberOf(e)], e.Sequence));
    }

    [Fact]
    public void Open_SecondCorruptionWithReadableCounters_CountsBothQuarantines()
    {
        File.WriteAllText(PathName, "not a database at all, just text that is long enough to look like a SQLite header........");
        using (var outbox = Open())
        {
            Assert.Equal(1, outbox.Counters.Quarantined);
        }

        Fill();
        using (var file = new FileStream(PathName, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        using var again = Open();
        Assert.Equal(2, again.Counters.Quarantined);
        Assert.Equal(2, again.Report().Quarantined);
        Assert.Equal(2, Aside.Length);
    }

    private Dictionary<int, long> Fill() => FilledOutbox.Fill(PathName, _time, Total);

    private OutboxStore Open() => OutboxStore.Open(new OutboxOptions { Path = PathName }, _log, _time);
}
