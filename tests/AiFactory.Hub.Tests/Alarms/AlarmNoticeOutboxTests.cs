using System.Net.Http.Json;
using AiFactory.Hub.Alarms;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Alarms;

/// <summary>
/// The durable outbox of alarm notices: a notice outlives a kill -9 of the hub, a failing receiver gets it later with
/// the same id, one that never answers gets it given up and counted, and two hubs on one database send each notice once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AlarmNoticeOutboxTests
{
    private static readonly string[] FastRetries =
        ["--Hub:Alarms:EvaluateInterval=00:00:00.1", "--Hub:Alarms:RetryDelay=00:00:00.1", "--Hub:Alarms:MaxRetryDelay=00:00:00.5", "--Hub:Alarms:PollInterval=00:00:00.2",
            "--Hub:Alarms:DeliveryTimeout=00:00:02"];

    [Fact]
    public async Task NoticePending_WhenTheHubIsKilled_IsDeliveredAfterTheRestart_OnceWithItsId()
    {
        var adminKey = ApiKey.Generate().Key;
        using var dir = new TempDirectory("aifactory-outbox-");
        var database = Path.Combine(dir.Path, "hub.db");
        var port = FreePort.Next();
        await using var hub = await HubProcess.StartAsync("Sqlite", $"Data Source={database}", adminKey, [$"--Hub:Alarms:WebhookUrl=http://127.0.0.1:{port}/alarms/", .. FastRetries]);
        using var admin = ReliabilityTests.Client(hub.Address, adminKey);
        using var edge = ReliabilityTests.Client(hub.Address, await ReliabilityTests.SetupAsync(admin));
        await RaiseAsync(admin, edge);

        // Nothing listens on the webhook's port: the raised notice is tried, fails and waits for its next try.
        await Eventually.WaitFor(async () => (await AttemptsAsync(database)) is [>= 2], "two failed tries of the notice");
        var waiting = await CountsAsync(admin);
        Assert.Equal(("webhook", 1L, 0L, 0L), (waiting.Target, waiting.Pending, waiting.Failed, waiting.Delivered));
        await hub.KillAsync();

        using var webhook = new WebhookSink(port);
        await hub.StartAgainAsync();
        await Eventually.WaitFor(async () => (await CountsAsync(admin)).Delivered == 1, "the notice delivered after the restart");

        var id = Assert.Single(await NoticeIdsAsync(database));
        var body = Assert.Single(webhook.Bodies);
        Assert.Equal((id, "raised"), (body.GetProperty("id").GetString(), body.GetProperty("event").GetString()));
        Assert.Equal([id], webhook.NoticeHeaders.ToArray());
        Assert.Equal(("webhook", 0L, 0L, 1L), Tuple(await CountsAsync(admin)));
    }

    [Fact]
    public async Task ReceiverThatFailsAFewTimes_GetsEachNoticeLater_InOrder_WithTheSameId()
    {
        using var webhook = new WebhookSink(failures: 3);
        await using var hub = await HubHarness.StartAsync(extra: [$"--Hub:Alarms:WebhookUrl={webhook.Url}", .. FastRetries]);
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        var alarm = await RaiseAsync(hub.Admin, edge);
        (await hub.Admin.PostAsJsonAsync($"/api/v1/companies/acme/alarms/{alarm.Id}/ack", new { comment = "seen" })).EnsureSuccessStatusCode();

        await Eventually.WaitFor(async () => (await CountsAsync(hub.Admin)).Delivered == 2, "both notices delivered");

        var first = webhook.Bodies.First().GetProperty("id").GetString();
        Assert.Equal([first!, first!, first!], webhook.Refused.ToArray());
        Assert.Equal(["raised", "acknowledged"], webhook.Bodies.Select(b => b.GetProperty("event").GetString()));
        Assert.Equal(webhook.Bodies.Select(b => b.GetProperty("id").GetString()!).ToArray(), webhook.NoticeHeaders.ToArray());
        Assert.Equal("seen", webhook.Bodies.Last().GetProperty("alarm").GetProperty("ackComment").GetString());
        Assert.Equal(("webhook", 0L, 0L, 2L), Tuple(await CountsAsync(hub.Admin)));
    }

    [Fact]
    public async Task ReceiverThatNeverAccepts_NoticeIsGivenUpAfterItsAttempts_AndCountedAsFailed()
    {
        using var webhook = new WebhookSink(failures: int.MaxValue);
        await using var hub = await HubHarness.StartAsync(extra: [$"--Hub:Alarms:WebhookUrl={webhook.Url}", "--Hub:Alarms:DeliveryAttempts=3", .. FastRetries]);
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        await RaiseAsync(hub.Admin, edge);

        await Eventually.WaitFor(async () => (await CountsAsync(hub.Admin)).Failed == 1, "the notice given up");

        Assert.Equal(3, webhook.Refused.Count);
        Assert.Empty(webhook.Bodies);
        Assert.Equal(("webhook", 0L, 1L, 0L), Tuple(await CountsAsync(hub.Admin)));
    }

    [Fact]
    public async Task TwoHubsOnOneDatabase_SendEveryNoticeOnce()
    {
        using var dir = new TempDirectory("aifactory-outbox-");
        await TwoHubsSendEachNoticeOnceAsync(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir.Path, "hub.db")}");
    }

    [PostgresFact]
    public async Task TwoHubsOnOnePostgresDatabase_SendEveryNoticeOnce()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await TwoHubsSendEachNoticeOnceAsync(DatabaseProvider.PostgreSql, db.ConnectionString);
    }

    /// <summary>
    /// Both hubs hold the notices while the receiver is down and race for each one as it comes back; every notice
    /// arrives once, in order.
    /// </summary>
    private static async Task TwoHubsSendEachNoticeOnceAsync(DatabaseProvider provider, string connection)
    {
        var port = FreePort.Next();
        string[] extra = [$"--Hub:Alarms:WebhookUrl=http://127.0.0.1:{port}/alarms/", "--Hub:Alarms:RetryDelay=00:00:00.05", "--Hub:Alarms:MaxRetryDelay=00:00:00.2",
            "--Hub:Alarms:PollInterval=00:00:00.05", "--Hub:Alarms:DeliveryAttempts=1000", "--Hub:Alarms:EvaluateInterval=00:00:00.1"];
        var adminKey = ApiKey.Generate().Key;
        await using var first = await HubHarness.StartAsync(provider, connection, adminKey, extra: extra);
        await using var second = await HubHarness.StartAsync(provider, connection, adminKey, extra: extra);
        var edge = first.Client(await first.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        var alarm = await RaiseAsync(first.Admin, edge);
        (await second.Admin.PostAsJsonAsync($"/api/v1/companies/acme/alarms/{alarm.Id}/ack", new { comment = "seen" })).EnsureSuccessStatusCode();
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 2, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 100, 100, 0)])))).EnsureSuccessStatusCode();
        await Eventually.WaitFor(async () => (await CountsAsync(first.Admin)).Pending == 3, "three notices waiting");

        using var webhook = new WebhookSink(port);
        await Eventually.WaitFor(async () => (await CountsAsync(second.Admin)).Delivered == 3, "three notices delivered");

        Assert.Equal(["raised", "acknowledged", "cleared"], webhook.Bodies.Select(b => b.GetProperty("event").GetString()));
        Assert.Equal(3, webhook.Bodies.Select(b => b.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(("webhook", 0L, 0L, 3L), Tuple(await CountsAsync(first.Admin)));
    }

    /// <summary>A rule on s1's anomaly rate and a batch that breaks it; answers the raised alarm.</summary>
    private static async Task<AlarmRecord> RaiseAsync(HttpClient admin, HttpClient edge)
    {
        (await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l1", station = "s1", kind = "anomaly-rate", threshold = 0.2, clearThreshold = 0.1, forMinutes = 0 }))
            .EnsureSuccessStatusCode();
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 5, 5, anomalies: 5)])))).EnsureSuccessStatusCode();
        AlarmRecord? raised = null;
        await Eventually.WaitFor(async () => (raised = (await admin.GetFromJsonAsync<List<AlarmRecord>>("/api/v1/companies/acme/alarms?state=active"))!.FirstOrDefault()) is not null, "an active alarm");
        return raised!;
    }

    private static async Task<AlarmNoticeCounts> CountsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<AlarmNoticeCounts>>("/api/v1/companies/acme/alarm-notices"))!.SingleOrDefault() ?? new AlarmNoticeCounts("none", 0, 0, 0, null);

    private static (string, long, long, long) Tuple(AlarmNoticeCounts c) => (c.Target, c.Pending, c.Failed, c.Delivered);

    private static async Task<long[]> AttemptsAsync(string database) => await SqliteRows.ReadAsync(database, "SELECT attempts FROM alarm_notices", r => r.GetInt64(0));

    private static async Task<string[]> NoticeIdsAsync(string database) => await SqliteRows.ReadAsync(database, "SELECT id FROM alarm_notices", r => r.GetString(0));
}
