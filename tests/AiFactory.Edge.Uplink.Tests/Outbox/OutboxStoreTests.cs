using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Outbox;

[Trait("Category", "Unit")]
public sealed class OutboxStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Append_ThenReopen_KeepsEveryRecordWithItsSequenceAndPayload()
    {
        long[] sequences;
        using (var outbox = Open())
        {
            sequences = [.. outbox.Append(Records.Events(1, 5)).Sequences, .. outbox.Append([Records.Summary(42)]).Sequences];
        }

        using var reopened = Open();
        var entries = reopened.Peek(100, long.MaxValue);
        Assert.Equal(sequences, entries.Select(e => e.Sequence).ToArray());
        Assert.Equal([1, 2, 3, 4, 5], entries.Take(5).Select(Records.NumberOf).ToArray());
        Assert.Equal(42, OutboxPayload.Decode(entries[5], out _)!.Summary!.FramesScored);
        Assert.Equal(6, reopened.Counters.BacklogRecords);
        Assert.Equal(entries.Sum(e => (long)e.Payload.Length), reopened.Counters.BacklogBytes);
    }

    [Fact]
    public void NewOutbox_FirstSequenceIsMicrosecondsSince1970_ThenRisesByOne()
    {
        using var outbox = Open();
        var result = outbox.Append(Records.Events(1, 3));

        var floor = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        Assert.Equal([floor, floor + 1, floor + 2], result.Sequences);
    }

    [Fact]
    public void Sequences_AfterDeleteAndRestart_AreNeverReused()
    {
        long last;
        using (var outbox = Open())
        {
            last = outbox.Append(Records.Events(1, 5)).Sequences[^1];
            Assert.Equal(5, outbox.DeleteUpTo(last));
            Assert.Equal(0, outbox.Counters.BacklogRecords);
        }

        // A minute later the clock's floor is far above; the stored next sequence is used, so no gap and no reuse.
        _time.Advance(TimeSpan.FromMinutes(1));
        using (var outbox = Open())
        {
            var next = outbox.Append([Records.Event(6)]).Sequences[0];
            Assert.Equal(last + 1, next);
            outbox.DeleteUpTo(next);
        }

        using var third = Open();
        Assert.Equal(last + 2, third.Append([Records.Event(7)]).Sequences[0]);
    }

    [Fact]
    public void DropOldest_WhenBytesFull_DropsExactlyTheOldestAndCountsThemAcrossRestart()
    {
        var size = Records.EventBytes(1);
        using (var outbox = Open(maxBytes: 5 * size))
        {
            var first = outbox.Append(Records.Events(1, 5));
            var second = outbox.Append(Records.Events(6, 3));

            Assert.Equal((5, 0, 0), (first.Stored, first.Rejected, first.Dropped));
            Assert.Equal((3, 0, 3), (second.Stored, second.Rejected, second.Dropped));
            Assert.Equal([4, 5, 6, 7, 8], outbox.Peek(100, long.MaxValue).Select(Records.NumberOf).ToArray());
            Assert.Equal(5L * size, outbox.Counters.BacklogBytes);
        }

        using var reopened = Open(maxBytes: 5 * size);
        Assert.Equal(3, reopened.Counters.DroppedOldest);
        Assert.Equal(3, reopened.Report().DroppedOldest);
        Assert.Equal(0, reopened.Report().RejectedNew);
    }

    [Fact]
    public void DropOldest_SparesRecordsAlreadySent_WhileUnsentOnesRemain()
    {
        var size = Records.EventBytes(1);
        using var outbox = Open(maxBytes: 5 * size);
        var stored = outbox.Append(Records.Events(1, 5));
        outbox.MarkSent(stored.Sequences[1]);

        var result = outbox.Append(Records.Events(6, 2));

        Assert.Equal(2, result.Dropped);
        Assert.Equal([1, 2, 5, 6, 7], outbox.Peek(100, long.MaxValue).Select(Records.NumberOf).ToArray());
    }

    [Fact]
    public void RejectNew_WhenBytesFull_RefusesExactlyTheNewOnesAndCountsThemAcrossRestart()
    {
        var size = Records.EventBytes(1);
        using (var outbox = Open(maxBytes: 5 * size, policy: OutboxFullPolicy.RejectNew))
        {
            var result = outbox.Append(Records.Events(1, 8));

            Assert.Equal((5, 3, 0), (result.Stored, result.Rejected, result.Dropped));
            Assert.Equal(0, result.Sequences[5]);
            Assert.Equal([1, 2, 3, 4, 5], outbox.Peek(100, long.MaxValue).Select(Records.NumberOf).ToArray());

            // Room again once the hub took some.
            outbox.DeleteUpTo(result.Sequences[1]);
            var after = outbox.Append(Records.Events(6, 3));
            Assert.Equal((2, 1), (after.Stored, after.Rejected));
        }

        using var reopened = Open(maxBytes: 5 * size, policy: OutboxFullPolicy.RejectNew);
        Assert.Equal(4, reopened.Counters.RejectedNew);
        Assert.Equal(4, reopened.Report().RejectedNew);
        Assert.Equal(0, reopened.Report().DroppedOldest);
    }

    [Fact]
    public void DropOldest_RecordsOlderThanMaxAge_AreDroppedAndCounted()
    {
        using var outbox = Open(maxAge: TimeSpan.FromHours(1));
        outbox.Append(Records.Events(1, 2));
        _time.Advance(TimeSpan.FromMinutes(30));
        outbox.Append([Records.Event(3)]);
        _time.Advance(TimeSpan.FromMinutes(31));

        var result = outbox.Append([Records.Event(4)]);

        Assert.Equal(2, result.Dropped);
        Assert.Equal([3, 4], outbox.Peek(100, long.MaxValue).Select(Records.NumberOf).ToArray());
        Assert.Equal(2, outbox.Counters.DroppedOldest);
    }

    [Fact]
    public void RejectNew_WhenOldestRecordIsOlderThanMaxAge_RefusesNewOnes()
    {
        using var outbox = Open(maxAge: TimeSpan.FromHours(1), policy: OutboxFullPolicy.RejectNew);
        outbox.Append([Records.Event(1)]);
        _time.Advance(TimeSpan.FromMinutes(61));

        var result = outbox.Append(Records.Events(2, 2));

        Assert.Equal((0, 2), (result.Stored, result.Rejected));
        Assert.Equal([1], outbox.Peek(100, long.MaxValue).Select(Records.NumberOf).ToArray());
    }

    [Fact]
    public void Report_ShowsBacklogOldestTimeAndCounters()
    {
        using var outbox = Open();
        var committedAt = _time.GetUtcNow();
        outbox.Append(Records.Events(1, 3));
        _time.Advance(TimeSpan.FromSeconds(5));
        outbox.Append([Records.Event(4)]);

        var report = outbox.Report();

        Assert.Equal(4, report.BacklogRecords);
        Assert.Equal(4L * Records.EventBytes(1), report.BacklogBytes);
        Assert.Equal(committedAt.ToUnixTimeMilliseconds(), report.OldestRecordUtc!.Value.ToUnixTimeMilliseconds());
        Assert.Equal((0, 0, 0), (report.DroppedOldest, report.RejectedNew, report.Quarantined));
    }

    [Fact]
    public void Peek_StopsAtTheRecordOrByteLimit_ButReturnsAtLeastOne()
    {
        var size = Records.EventBytes(1);
        using var outbox = Open();
        outbox.Append(Records.Events(1, 9));

        Assert.Equal([1, 2, 3, 4], outbox.Peek(4, long.MaxValue).Select(Records.NumberOf).ToArray());
        Assert.Equal([1, 2, 3], outbox.Peek(100, (3 * size) + 1).Select(Records.NumberOf).ToArray());
        Assert.Equal([1], outbox.Peek(100, 1).Select(Records.NumberOf).ToArray());
    }

    [Fact]
    public void DeadLetter_TakesTheRecordOutOfTheBacklog_KeepsItInspectableAndCounted()
    {
        using (var outbox = Open())
        {
            var seqs = outbox.Append(Records.Events(1, 3)).Sequences;

            Assert.True(outbox.DeadLetter(seqs[1], "the hub refuses it (400: stationId 's9' is not registered)"));
            Assert.False(outbox.DeadLetter(seqs[1], "again"));

            Assert.Equal([1, 3], outbox.Peek(100, long.MaxValue).Select(Records.NumberOf).ToArray());
            Assert.Equal(2L * Records.EventBytes(1), outbox.Counters.BacklogBytes);
        }

        using var reopened = Open();
        var letter = Assert.Single(reopened.DeadLetters());
        Assert.Equal("the hub refuses it (400: stationId 's9' is not registered)", letter.Reason);
        Assert.Equal(2, Records.NumberOf(new OutboxEntry(letter.Sequence, letter.CreatedUtc, letter.Kind, letter.Payload)));
        Assert.Equal(1, reopened.Counters.DeadLettered);
    }

    [Fact]
    public void RequeueDeadLetters_PutsThemBackUnderNewSequences_AfterEveryOther()
    {
        using var outbox = Open();
        var seqs = outbox.Append(Records.Events(1, 3)).Sequences;
        outbox.DeadLetter(seqs[0], "400");
        outbox.DeadLetter(seqs[2], "400");
        var later = outbox.Append([Records.Event(4)]).Sequences[0];

        Assert.Equal(2, outbox.RequeueDeadLetters());

        var entries = outbox.Peek(100, long.MaxValue);
        Assert.Equal([2, 4, 1, 3], entries.Select(Records.NumberOf).ToArray());
        Assert.Equal([seqs[1], later, later + 1, later + 2], entries.Select(e => e.Sequence).ToArray());
        Assert.Empty(outbox.DeadLetters());
        Assert.Equal((4, 4L * Records.EventBytes(1), 2), (outbox.Counters.BacklogRecords, outbox.Counters.BacklogBytes, outbox.Counters.DeadLettered));
    }

    [Fact]
    public void RaiseNextSequence_AboveTheHubsMark_MovesTheNextSequenceAndPersists()
    {
        long hubMark;
        using (var outbox = Open())
        {
            hubMark = outbox.Append([Records.Event(1)]).Sequences[0] + 1000;
            outbox.RaiseNextSequence(hubMark + 1, hubMark);
            outbox.RaiseNextSequence(5, hubMark);
        }

        using var reopened = Open();
        Assert.Equal(hubMark + 1, reopened.Append([Records.Event(2)]).Sequences[0]);
    }

    [Fact]
    public void Open_WhenThePathIsAFolder_ThrowsNamingThePath()
    {
        var path = _folder.File("outbox.db");
        Directory.CreateDirectory(path);

        var ex = Assert.Throws<OutboxException>(() => Open(path: path));

        Assert.Contains($"outbox '{path}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhileAnotherStoreHoldsTheFile_ThrowsSayingItIsInUse()
    {
        using var first = Open();
        first.Append([Records.Event(1)]);

        var ex = Assert.Throws<OutboxException>(() => Open());

        Assert.StartsWith($"outbox '{_folder.File("outbox.db")}' is in use by another process (is another agent running with this outbox? stop it first)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, first.Append([Records.Event(2)]).Stored);
    }

    private OutboxStore Open(long maxBytes = 1 << 20, OutboxFullPolicy policy = OutboxFullPolicy.DropOldest, TimeSpan? maxAge = null, string? path = null) =>
        OutboxStore.Open(new OutboxOptions { Path = path ?? _folder.File("outbox.db"), MaxBytes = maxBytes, FullPolicy = policy, MaxAge = maxAge ?? TimeSpan.FromDays(7) }, time: _time);
}
