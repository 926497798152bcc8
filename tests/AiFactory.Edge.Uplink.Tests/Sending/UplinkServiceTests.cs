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
    public async Task StepThrowingWhatNoOneExpected_IsLoggedWithItsException_AndTheUplinkGoesOnUntilTheOutboxIsEmpty()
    {
        _outbox.Append(Records.Events(1, 25));
        using var http = new HttpClient(new ThrowsOnce(new NotSupportedException("a handler's surprise")) { InnerHandler = new HttpClientHandler() });
        using var service = Service(http);

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitFor(() => _hub.AppliedCount == 25 && _outbox.Counters.BacklogRecords == 0, "25 records applied and the outbox empty");
        await service.StopAsync(CancellationToken.None);

        var error = Assert.Single(_log.Lines, l => l.Level == LogLevel.Error);
        Assert.Equal($"Uplink to {_hub.Url}api/v1/ingest: a step failed unexpectedly; every record is kept and the uplink goes on after a backoff (0 similar lines held back)", error.Message);
        Assert.Null(service.LastFailure);
    }

    private sealed class ThrowsOnce(Exception exception) : DelegatingHandler
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw exception : base.SendAsync(request, cancellationToken);
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

    [Fact]
    public async Task HubBackDuringALongBackoff_TheHealthProbeEndsTheWaitWithinOneProbePeriod()
    {
        var time = new FakeTimeProvider();
        _outbox.Append(Records.Events(1, 5));
        _hub.Down = true;

        // The first failure draws 0.99 of a 300-s bound: without probing, the next try would come 297 s later.
        using var service = Service(time, TimeSpan.FromSeconds(300), new AlmostOne());
        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitFor(() => _hub.Requests == 1 && time.ArmedTimers == 1, "the first try refused and the backoff armed");
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.WaitFor(() => _hub.HealthProbes == 1 && time.ArmedTimers == 1, "a probe of the hub that is still down, and the next one armed");

        _hub.Down = false;
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.WaitFor(() => _hub.AppliedCount == 5 && _outbox.Counters.BacklogRecords == 0, "the 5 records at the hub");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal((2, 2), (_hub.HealthProbes, _hub.Requests));
        var line = Assert.Single(_log.Lines, l => l.Message.StartsWith("Uplink: the hub answers again", StringComparison.Ordinal));
        Assert.Equal($"Uplink: the hub answers again ({_hub.Url}health/live) after 10000 ms of backing off; sending now instead of in 287000 ms", line.Message);
    }

    [Fact]
    public async Task TooManyRequests_IsWaitedOutWithoutProbing()
    {
        var time = new FakeTimeProvider();
        _outbox.Append(Records.Events(1, 5));
        _hub.Script.Enqueue(429);
        using var service = Service(time, TimeSpan.FromSeconds(300), new AlmostOne());

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitFor(() => _hub.Requests == 1 && time.ArmedTimers == 1, "the 429 and the backoff armed");
        time.Advance(TimeSpan.FromSeconds(296));
        Assert.Equal((0, 1, 0, 1), (_hub.HealthProbes, _hub.Requests, _hub.AppliedCount, time.ArmedTimers));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitFor(() => _hub.AppliedCount == 5, "the 5 records at the hub after the full backoff");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, _hub.HealthProbes);
    }

    private UplinkService Service(FakeTimeProvider time, TimeSpan backoff, Random random)
    {
        var options = new UplinkOptions
        {
            HubUrl = _hub.Url,
            ApiKey = "edge-key",
            EdgeId = "edge-1",
            BackoffBase = backoff,
            BackoffCap = backoff,
            IdlePoll = TimeSpan.FromHours(1),
        };
        var sender = new UplinkSender(_outbox, new UplinkClient(_http, options), options, _metrics, _log);
        return new UplinkService(sender, options, new LoggerAdapter<UplinkService>(_log), time, random);
    }

    private UplinkService Service(HttpClient? http = null)
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
        var sender = new UplinkSender(_outbox, new UplinkClient(http ?? _http, options), options, _metrics, _log);
        return new UplinkService(sender, options, new LoggerAdapter<UplinkService>(_log), random: new Random(1));
    }
}
