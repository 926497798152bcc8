using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Sending;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;
using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Tests.Sending;

[Trait("Category", "Integration")]
public sealed class UplinkSenderTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly ListLogger _log = new();
    private readonly HttpClient _http = new();
    private FakeIngestHub _hub = null!;
    private OutboxStore _outbox = null!;
    private UplinkMetrics _metrics = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeIngestHub.StartAsync();
        _outbox = OutboxStore.Open(new OutboxOptions { Path = _folder.File("outbox.db") }, _log);
        _metrics = new UplinkMetrics("edge-1", _outbox);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        _outbox.Dispose();
        _http.Dispose();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Send_PostsGzipJsonWithTheKey_AndDeletesWhatTheAckCovers()
    {
        var seqs = _outbox.Append([.. Records.Events(1, 3), Records.Summary(17)]).Sequences;

        var step = await Sender().SendNextAsync(CancellationToken.None);

        Assert.Equal(new UplinkStep(UplinkStepKind.Progress, 4, 0, null), step);
        Assert.Equal([("gzip", "application/json")], _hub.Headers);
        var batch = Assert.Single(_hub.Batches);
        Assert.Equal(("edge-1", seqs[0], seqs[3]), (batch.EdgeId, batch.FirstSequence, batch.LastSequence));
        Assert.Equal((0L, 0L, (DateTimeOffset?)null), (batch.Outbox.BacklogRecords, batch.Outbox.BacklogBytes, batch.Outbox.OldestRecordUtc));
        Assert.Equal(seqs, _hub.Applied.Keys.Order().ToArray());
        Assert.Equal(2, (int)_hub.Applied[seqs[1]].Event!.Score);
        Assert.Equal(17, _hub.Applied[seqs[3]].Summary!.FramesScored);
        Assert.Equal(0, _outbox.Counters.BacklogRecords);
        Assert.Equal(UplinkStep.Idle, await Sender().SendNextAsync(CancellationToken.None));
        Assert.Equal((4, 4), (_metrics.Sent, _metrics.Acked));
    }

    [Fact]
    public async Task Batches_ReportWhatWaitsBesidesThem_SoADrainedOutboxReadsZero()
    {
        _outbox.Append(Records.Events(1, 6));
        var all = _outbox.Report();
        var sender = Sender(maxRecords: 4);

        await sender.SendNextAsync(CancellationToken.None);
        var between = _outbox.Report();
        await sender.SendNextAsync(CancellationToken.None);

        Assert.Equal(2, _hub.Batches.Count);
        Assert.Equal((2L, between.BacklogBytes), (_hub.Batches[0].Outbox.BacklogRecords, _hub.Batches[0].Outbox.BacklogBytes));
        Assert.Equal(between.OldestRecordUtc.HasValue, _hub.Batches[0].Outbox.OldestRecordUtc.HasValue);
        Assert.True(between.BacklogBytes > 0 && between.BacklogBytes < all.BacklogBytes);
        Assert.Equal((0L, 0L, (DateTimeOffset?)null), (_hub.Batches[1].Outbox.BacklogRecords, _hub.Batches[1].Outbox.BacklogBytes, _hub.Batches[1].Outbox.OldestRecordUtc));
    }

    [Fact]
    public async Task ServerErrors_ThenSuccess_NothingLostNothingDoubled()
    {
        var seqs = _outbox.Append(Records.Events(1, 5)).Sequences;
        _hub.Script.Enqueue(500);
        _hub.Script.Enqueue(503);
        var sender = Sender();

        var first = await sender.SendNextAsync(CancellationToken.None);
        var second = await sender.SendNextAsync(CancellationToken.None);
        Assert.Equal(5, _outbox.Counters.BacklogRecords);
        var third = await sender.SendNextAsync(CancellationToken.None);

        Assert.Equal((UplinkStepKind.Failed, UplinkResponseKind.Retry, 500), (first.Kind, first.Failure!.Kind, first.Failure.Status));
        Assert.Equal((UplinkStepKind.Failed, 503), (second.Kind, second.Failure!.Status));
        Assert.Equal("503 Service Unavailable: scripted 503", second.Failure.Detail);
        Assert.Equal((UplinkStepKind.Progress, 5), (third.Kind, third.Acked));
        Assert.Equal(seqs, _hub.Applied.Keys.Order().ToArray());
        Assert.Equal(0, _hub.Duplicates);
        Assert.Equal(0, _outbox.Counters.BacklogRecords);
        Assert.Equal(2, _metrics.FailedBatches);
    }

    [Fact]
    public async Task AckLostAfterTheHubApplied_RetryIsCountedAsDuplicates_NothingDoubled()
    {
        var seqs = _outbox.Append(Records.Events(1, 5)).Sequences;
        _hub.Script.Enqueue(FakeIngestHub.ApplyThenDrop);
        var sender = Sender();

        var lost = await sender.SendNextAsync(CancellationToken.None);
        var retried = await sender.SendNextAsync(CancellationToken.None);

        Assert.Equal((UplinkStepKind.Failed, UplinkResponseKind.Retry, 0), (lost.Kind, lost.Failure!.Kind, lost.Failure.Status));
        Assert.StartsWith("network: ", lost.Failure.Detail, StringComparison.Ordinal);
        Assert.Equal((UplinkStepKind.Progress, 5), (retried.Kind, retried.Acked));
        Assert.Equal(seqs, _hub.Applied.Keys.Order().ToArray());
        Assert.Equal(5, _hub.Duplicates);
        Assert.Equal(0, _outbox.Counters.BacklogRecords);
        Assert.Contains(_log.Lines, l => l.Message.EndsWith($"5 records {seqs[0]}..{seqs[4]} acknowledged (0 applied, 5 already there)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TooLarge_SplitsTheBatchIntoHalvesSentInOrder()
    {
        var seqs = _outbox.Append(Records.Events(1, 5)).Sequences;
        _hub.MaxRecords = 2;

        var step = await Sender().SendNextAsync(CancellationToken.None);

        Assert.Equal(new UplinkStep(UplinkStepKind.Progress, 5, 0, null), step);
        Assert.Equal([5, 2, 3, 1, 2], _hub.Batches.Select(b => b.Records.Count).ToArray());
        Assert.Equal(seqs, _hub.Applied.Keys.Order().ToArray());
        Assert.Equal(0, _hub.Duplicates);
        Assert.Equal(0, _outbox.Counters.DeadLettered);
    }

    [Fact]
    public async Task TooLargeEvenAlone_TheRecordIsDeadLettered_NeverLost()
    {
        _outbox.Append(Records.Events(1, 2));
        _hub.MaxRecords = 0;

        var step = await Sender().SendNextAsync(CancellationToken.None);

        Assert.Equal(new UplinkStep(UplinkStepKind.Progress, 0, 2, null), step);
        Assert.Equal(2, _outbox.DeadLetters().Count);
        Assert.All(_outbox.DeadLetters(), d => Assert.Equal("the hub refuses it as too large even alone (413: 1 records; at most 0)", d.Reason));
    }

    [Fact]
    public async Task BadRequestForOneRecord_IsolatesAndDeadLettersIt_TheRestIsDelivered()
    {
        var seqs = _outbox.Append(Records.Events(1, 5)).Sequences;
        _hub.Refuse = r => r.Event?.Score == 3;

        var step = await Sender().SendNextAsync(CancellationToken.None);

        Assert.Equal(new UplinkStep(UplinkStepKind.Progress, 4, 1, null), step);
        Assert.Equal([seqs[0], seqs[1], seqs[3], seqs[4]], _hub.Applied.Keys.Order().ToArray());
        var letter = Assert.Single(_outbox.DeadLetters());
        Assert.Equal(seqs[2], letter.Sequence);
        Assert.Equal($"the hub refuses it (400: records[{seqs[2]}].event.stationId: not registered under plant 'p1')", letter.Reason);
        Assert.Equal(1, _outbox.Counters.DeadLettered);
        Assert.Equal(0, _outbox.Counters.BacklogRecords);
        Assert.Contains(_log.Lines, l => l.Message.Contains($"record {seqs[2]} moved to the dead-letter table", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task KeyRefused_KeepsEveryRecord_NothingDeadLettered(int status)
    {
        _outbox.Append(Records.Events(1, 5));
        if (status == 401)
        {
            _hub.Key = "another-key";
        }
        else
        {
            _hub.Script.Enqueue(403);
        }

        var step = await Sender().SendNextAsync(CancellationToken.None);

        Assert.Equal((UplinkStepKind.Failed, UplinkResponseKind.KeyRefused, status), (step.Kind, step.Failure!.Kind, step.Failure.Status));
        Assert.Equal(status == 401 ? "unknown or revoked key" : "scripted 403", step.Failure.Detail);
        Assert.Equal(5, _outbox.Counters.BacklogRecords);
        Assert.Equal(0, _outbox.Counters.DeadLettered);
        Assert.Empty(_hub.Applied);
    }

    [Fact]
    public async Task HubNotListening_IsARetry_AndKeepsEveryRecord()
    {
        _outbox.Append(Records.Events(1, 3));
        var closed = _hub.Url;
        await _hub.DisposeAsync();
        _hub = await FakeIngestHub.StartAsync();

        var step = await Sender(closed).SendNextAsync(CancellationToken.None);

        Assert.Equal((UplinkStepKind.Failed, UplinkResponseKind.Retry, 0), (step.Kind, step.Failure!.Kind, step.Failure.Status));
        Assert.StartsWith("network: Connection refused", step.Failure.Detail, StringComparison.Ordinal);
        Assert.Equal(3, _outbox.Counters.BacklogRecords);
    }

    [Fact]
    public async Task AckAboveEveryOutboxSequence_RaisesTheNextSequenceAboveTheHubsMark()
    {
        var seq = _outbox.Append([Records.Event(1)]).Sequences[0];
        _hub.HighWater = seq + 500;

        var step = await Sender().SendNextAsync(CancellationToken.None);
        var next = _outbox.Append([Records.Event(2)]).Sequences[0];

        Assert.Equal((UplinkStepKind.Progress, 1), (step.Kind, step.Acked));
        Assert.Equal(seq + 501, next);
        Assert.Contains(_log.Lines, l => l.Message.EndsWith($"next sequence raised from {seq + 1} to {seq + 501} because the hub has applied up to {seq + 500} for this edge", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreadableStoredPayload_IsDeadLetteredWithoutBeingSent()
    {
        var seqs = _outbox.Append(Records.Events(1, 2)).Sequences;
        _outbox.Dispose();
        using (var db = new SqliteConnection($"Data Source={_folder.File("outbox.db")};Pooling=False"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = $"UPDATE outbox_records SET payload = X'7B7B' WHERE seq = {seqs[0]}";
            command.ExecuteNonQuery();
        }

        _outbox = OutboxStore.Open(new OutboxOptions { Path = _folder.File("outbox.db") }, _log);

        var step = await Sender().SendNextAsync(CancellationToken.None);

        Assert.Equal(new UplinkStep(UplinkStepKind.Progress, 1, 1, null), step);
        Assert.Equal([seqs[1]], _hub.Applied.Keys.ToArray());
        Assert.StartsWith($"unreadable in the outbox: record {seqs[0]}: payload is not a readable Event", Assert.Single(_outbox.DeadLetters()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxLimitReached_TheHubIsToldWhatWasDroppedAndQuarantined()
    {
        var size = Records.EventBytes(1);
        _outbox.Dispose();
        File.WriteAllText(_folder.File("outbox.db"), "garbage that is no SQLite file, long enough to fill a header..................");
        _outbox = OutboxStore.Open(new OutboxOptions { Path = _folder.File("outbox.db"), MaxBytes = 3 * size }, _log);
        _outbox.Append(Records.Events(1, 5));

        await Sender().SendNextAsync(CancellationToken.None);

        var report = Assert.Single(_hub.Batches).Outbox;
        Assert.Equal((0, 0L, 2, 0, 1), (report.BacklogRecords, report.BacklogBytes, report.DroppedOldest, report.RejectedNew, report.Quarantined));
        Assert.Equal([3, 4, 5], _hub.Applied.Values.Select(r => (int)r.Event!.Score).Order().ToArray());
    }

    private UplinkSender Sender(Uri? hub = null, int? maxRecords = null)
    {
        var options = new UplinkOptions { HubUrl = hub ?? _hub.Url, ApiKey = "edge-key", EdgeId = "edge-1", RequestTimeout = TimeSpan.FromSeconds(10) };
        if (maxRecords is { } most)
        {
            options = new UplinkOptions { HubUrl = options.HubUrl, ApiKey = options.ApiKey, EdgeId = options.EdgeId, RequestTimeout = options.RequestTimeout, MaxBatchRecords = most };
        }

        return new UplinkSender(_outbox, new UplinkClient(_http, options), options, _metrics, _log);
    }
}
