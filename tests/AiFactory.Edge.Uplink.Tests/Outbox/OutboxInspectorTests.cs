using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Outbox;

/// <summary>Reading an outbox and requeueing its dead letters from outside while the agent's store holds the file.</summary>
[Trait("Category", "Unit")]
public sealed class OutboxInspectorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _folder.Dispose();

    private string PathName => _folder.File("outbox.db");

    [Fact]
    public void Status_WhileAStoreHoldsTheFile_ReadsTheBacklogDeadLettersAndCounters()
    {
        using var store = OutboxStore.Open(new OutboxOptions { Path = PathName }, time: _time);
        var seqs = store.Append(Records.Events(1, 3)).Sequences;
        store.DeadLetter(seqs[1], "400 unknown station");

        using var inspector = OutboxInspector.Open(PathName);
        var status = inspector.Status();

        Assert.Equal(
            new OutboxStatus(PathName, true, 2, 2L * Records.EventBytes(1), seqs[0], seqs[2], _time.GetUtcNow(), 1, seqs[2] + 1, 0, 0, 0, 1),
            status);
        var dead = Assert.Single(inspector.List(deadLetters: true, 10));
        Assert.Equal((seqs[1], OutboxRecordKind.Event, Records.EventBytes(2), "400 unknown station"), (dead.Sequence, dead.Kind, dead.Bytes, dead.Reason));
        Assert.Equal([seqs[0], seqs[2]], inspector.List(deadLetters: false, 10).Select(l => l.Sequence).ToArray());
        Assert.Equal([seqs[0]], inspector.List(deadLetters: false, 1).Select(l => l.Sequence).ToArray());
    }

    [Fact]
    public void Requeue_WhileAStoreHoldsTheFile_TheStoreTakesThemUpAndNeverReusesASequence()
    {
        using var store = OutboxStore.Open(new OutboxOptions { Path = PathName }, time: _time);
        var seqs = store.Append(Records.Events(1, 3)).Sequences;
        store.DeadLetter(seqs[0], "400");
        store.DeadLetter(seqs[2], "400");
        Assert.Equal(1, store.Counters.BacklogRecords);

        using (var inspector = OutboxInspector.Open(PathName, write: true))
        {
            Assert.Equal(2, inspector.RequeueDeadLetters());
            Assert.Equal(0, inspector.RequeueDeadLetters());
        }

        Assert.Equal((3, 3L * Records.EventBytes(1), seqs[2] + 3), (store.Counters.BacklogRecords, store.Counters.BacklogBytes, store.Counters.NextSequence));
        var next = store.Append([Records.Event(4)]).Sequences[0];
        Assert.Equal(seqs[2] + 3, next);
        Assert.Equal([2, 1, 3, 4], store.Peek(10, long.MaxValue).Select(Records.NumberOf).ToArray());
        Assert.Equal([seqs[1], seqs[2] + 1, seqs[2] + 2, next], store.Peek(10, long.MaxValue).Select(e => e.Sequence).ToArray());
        Assert.Empty(store.DeadLetters());
        Assert.Equal(2, store.Counters.DeadLettered);
    }

    [Fact]
    public void AgentRunning_AfterTheStoreIsDisposed_IsFalse()
    {
        using (var store = OutboxStore.Open(new OutboxOptions { Path = PathName }, time: _time))
        {
            store.Append([Records.Event(1)]);
        }

        using var inspector = OutboxInspector.Open(PathName);
        Assert.False(inspector.AgentRunning);
        Assert.Equal(1, inspector.Status().BacklogRecords);
    }

    [Fact]
    public void Open_MissingFile_ThrowsNamingTheFile()
    {
        var ex = Assert.Throws<OutboxException>(() => OutboxInspector.Open(PathName));

        Assert.Equal($"outbox '{PathName}': no such file (is the path the one in the configuration's uplink.outbox.path, relative to the configuration file?)", ex.Message);
        Assert.False(File.Exists(PathName));
    }

    [Fact]
    public void Open_TextFile_ThrowsSayingItCannotBeRead()
    {
        File.WriteAllText(PathName, "not a database at all, just text that is long enough to look like a SQLite header........");

        var ex = Assert.Throws<OutboxException>(() => OutboxInspector.Open(PathName));

        Assert.Equal($"outbox '{PathName}': cannot read it: SQLite Error 26: 'file is not a database'.", ex.Message);
    }

    [Fact]
    public void Open_OtherDatabase_ThrowsSayingItIsNotAnOutbox()
    {
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={PathName};Pooling=false"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "CREATE TABLE outbox_meta (key TEXT)";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<OutboxException>(() => OutboxInspector.Open(PathName));

        Assert.Equal($"outbox '{PathName}': a SQLite database but not an outbox (1 of its 3 tables)", ex.Message);
    }
}
