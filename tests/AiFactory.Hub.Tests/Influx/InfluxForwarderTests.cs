using AiFactory.Contracts;
using AiFactory.Hub.Influx;
using AiFactory.Testing;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Logging.Abstractions;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Influx;

/// <summary>The bounded queue between ingest and InfluxDB: the caller never waits, what does not fit is counted and logged.</summary>
[Trait("Category", "Unit")]
public sealed class InfluxForwarderTests
{
    [Fact]
    public void FullQueue_DropsCountsAndLogsOncePerMinute_WithoutBlockingTheCaller()
    {
        var time = new FakeTimeProvider();
        var log = new ListLogger<InfluxForwarder>();
        var options = new InfluxOptions { Url = "http://127.0.0.1:9", Database = "d", BatchSize = 1, QueueCapacity = 2 };

        // Never started: nothing drains the queue, as when InfluxDB hangs.
        using var forwarder = new InfluxForwarder(new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance, time), options, log, time);
        forwarder.Forward("e1", Records(5));
        time.Advance(TimeSpan.FromSeconds(59));
        forwarder.Forward("e1", Records(1));
        time.Advance(TimeSpan.FromSeconds(1));
        forwarder.Forward("e1", Records(2));

        Assert.Equal(6, forwarder.Dropped);
        Assert.Equal(
            [
                "InfluxDB queue full (2 points): 1 point(s) dropped so far; the SQL store still has them",
                "InfluxDB queue full (2 points): 5 point(s) dropped so far; the SQL store still has them",
            ],
            log.Lines.Select(l => l.Message));
    }

    [Fact]
    public async Task Stop_WhileInfluxIsUnreachable_CountsAndLogsWhatWasNotWritten()
    {
        var time = new FakeTimeProvider();
        var log = new ListLogger<InfluxForwarder>();
        var options = new InfluxOptions { Url = $"http://127.0.0.1:{FreePort.Next()}", Database = "d", BatchSize = 1, QueueCapacity = 10, MaxAttempts = 100 };
        var writer = new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance, time) { RetryBase = TimeSpan.FromSeconds(10) };
        using var forwarder = new InfluxForwarder(writer, options, log, time);
        await forwarder.StartAsync(CancellationToken.None);

        forwarder.Forward("e1", Records(3));
        await Eventually.WaitFor(() => time.ArmedTimers == 1, "the first point's retry waiting");
        await forwarder.StopAsync(CancellationToken.None);

        Assert.Equal((3, 0, 0), (forwarder.Dropped, forwarder.Written, forwarder.Failed));
        Assert.Equal("Stopping: 3 point(s) not yet written to InfluxDB are dropped; the SQL store still has them", Assert.Single(log.Lines).Message);
    }

    [Fact]
    public async Task UnwritableBatch_IsCountedAsFailed_AndTheServiceKeepsRunning()
    {
        var options = new InfluxOptions { Url = "http://127.0.0.1:9", Database = "d", BatchSize = 1, QueueCapacity = 10 };
        var log = new ListLogger<InfluxForwarder>();
        using var forwarder = new InfluxForwarder(new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance), options, log, TimeProvider.System);
        await forwarder.StartAsync(CancellationToken.None);

        // A point the writer cannot write (its time in another precision) fails only its own batch.
        var bad = PointData.Measurement("m").Field("v", 1L).Timestamp(1L, WritePrecision.S);
        Assert.True(forwarder.Enqueue(bad));
        await Eventually.WaitFor(() => forwarder.Failed == 1, "the first bad point given up");
        Assert.True(forwarder.Enqueue(bad));
        await Eventually.WaitFor(() => forwarder.Failed == 2, "the second bad point given up");
        await forwarder.StopAsync(CancellationToken.None);

        Assert.Equal(2, log.Lines.Count);
        Assert.All(log.Lines, l => Assert.Equal(
            "Gave up writing 1 point(s) to InfluxDB: point 1 of 1 has its time in S; Hub:Influx:Precision is Milliseconds (Parameter 'points'); the SQL store still has them", l.Message));
    }

    [Fact]
    public void SummaryAndEvent_BecomePointsTaggedWithTheirOwners()
    {
        var summary = Summary("e1", "acme", "p1", "l1", "s1", T0, 100, 97, 3, anomalies: 2, latencyMs: 1.2);
        var ev = Event("acme", "p1", "l1", "s1", T0.AddSeconds(3), cls: "scratch");

        string[] lines = [InfluxForwarder.SummaryPoint("e1", summary, WritePrecision.Ms).ToLineProtocol(), InfluxForwarder.EventPoint("e1", ev, WritePrecision.Ms).ToLineProtocol()];

        Assert.StartsWith(
            "station_window,company=acme,edge=e1,line=l1,model=pump-anomaly,model_version=1.0.0,plant=p1,station=s1 anomalies=2i,fail=3i,frames=100i,latency_p50_ms=",
            lines[0],
            StringComparison.Ordinal);
        Assert.EndsWith($" {T0.ToUnixTimeMilliseconds()}", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            $"station_event,class=scratch,company=acme,edge=e1,kind=anomaly,line=l1,model=pump-anomaly,model_version=1.0.0,plant=p1,station=s1 score=1.5 {T0.AddSeconds(3).ToUnixTimeMilliseconds()}",
            lines[1]);
    }

    private static List<UplinkRecord> Records(int n) =>
        Enumerable.Range(0, n).Select(i => new UplinkRecord(i + 1, Summary("e1", "acme", "p1", "l1", "s1", T0.AddSeconds(10 * i), 10, 10, 0), null)).ToList();
}
