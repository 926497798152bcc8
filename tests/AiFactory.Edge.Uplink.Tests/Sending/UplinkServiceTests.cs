using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Sending;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Uplink.Tests.Sending;

[Trait("Category", "Integration")]
public sealed class UplinkServiceTests : IAsyncLifetime
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
    public async Task HubFailingThenRecovering_EveryRecordArrivesExactlyOnce()
    {
        var seqs = _outbox.Append(Records.Events(1, 50)).Sequences.ToList();
        _hub.Script.Enqueue(500);
        _hub.Script.Enqueue(429);
        _hub.Script.Enqueue(FakeIngestHub.ApplyThenDrop);
        _hub.Script.Enqueue(502);
        using var service = Service();

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitFor(() => _hub.AppliedCount == 50, "50 records applied");
        seqs.AddRange(_outbox.Append(Records.Events(51, 5)).Sequences);
        service.Nudge();
        await Eventually.WaitFor(() => _hub.AppliedCount == 55 && _outbox.Counters.BacklogRecords == 0, "55 records applied and the outbox empty");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(seqs, _hub.Applied.Keys.Order().ToArray());
        Assert.Equal(Enumerable.Range(1, 55).ToArray(), _hub.Applied.Values.Select(r => (int)r.Event!.Score).Order().ToArray());
        Assert.Equal(10, _hub.Duplicates);
        Assert.Equal(4, _metrics.FailedBatches);
        Assert.Null(service.LastFailure);
    }

    [Fact]
    public async Task KeyRefused_LogsOneLoudLinePerMinute_AndKeepsEveryRecord()
    {
        _outbox.Append(Records.Events(1, 5));
        _hub.Key = "rotated-key";
        using var service = Service();

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitFor(() => _hub.Requests >= 4, "four refused attempts");
        await service.StopAsync(CancellationToken.None);

        var errors = _log.Lines.Where(l => l.Level == LogLevel.Error).ToArray();
        var error = Assert.Single(errors);
        Assert.StartsWith($"Uplink to {_hub.Url}api/v1/ingest: the hub refuses this edge's key (401: unknown or revoked key); every record is kept", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, _outbox.Counters.BacklogRecords);
        Assert.Equal(UplinkResponseKind.KeyRefused, service.LastFailure!.Kind);
    }

    private UplinkService Service()
    {
        var options = new UplinkOptions
        {
            HubUrl = _hub.Url,
            ApiKey = "edge-key",
            EdgeId = "edge-1",
            MaxBatchRecords = 10,
            BackoffBase = TimeSpan.FromMilliseconds(5),
            BackoffCap = TimeSpan.FromMilliseconds(40),
            IdlePoll = TimeSpan.FromSeconds(30),
        };
        var sender = new UplinkSender(_outbox, new UplinkClient(_http, options), options, _metrics, _log);
        return new UplinkService(sender, options, new LoggerAdapter<UplinkService>(_log), random: new Random(1));
    }
}
