using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Alarms;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Microsoft.Extensions.DependencyInjection;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Alarms;

/// <summary>Alarms through the real hub: rules by API, raised and cleared by the grains from uplinks, acknowledged, delivered by webhook and MQTT.</summary>
[Trait("Category", "Integration")]
public sealed class AlarmHubTests
{
    [MosquittoFact]
    public async Task AnomalousStation_RaisesOneAlarm_AcknowledgedWithAComment_ThenClears_EachDeliveredByWebhookAndMqtt()
    {
        using var broker = new MosquittoBroker();
        broker.Start();
        using var mqtt = broker.Subscribe("aifactory/alarms/#");
        using var webhook = new WebhookSink();
        await using var hub = await HubHarness.StartAsync(extra:
        [
            "--Hub:Alarms:EvaluateInterval=00:00:00.1", $"--Hub:Alarms:WebhookUrl={webhook.Url}", "--Hub:Alarms:MqttHost=127.0.0.1", $"--Hub:Alarms:MqttPort={broker.Port}",
        ]);
        var edgeKey = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        var admin = hub.Client((await hub.UserAsync("acme", "company-admin")).Key);
        var engineer = hub.Client((await hub.UserAsync("acme", "plant-engineer")).Key);
        var edge = hub.Client(edgeKey);
        var created = await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l1", station = "s1", kind = "anomaly-rate", threshold = 0.2, clearThreshold = 0.1, forMinutes = 0 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = (await created.Content.ReadFromJsonAsync<AlarmRuleView>())!;

        AlarmRecord raised;
        int bad;
        await using (var feed = LineFeed.Start(edge, 1, (seq, at) => Batch("e1", seq, [Summary("e1", "acme", "p1", "l1", "s1", at, 10, 5, 5, anomalies: 5)])))
        {
            raised = await WaitForAlarmAsync(engineer, "active");
            bad = await feed.StopAsync();
        }

        Assert.Equal((rule.Id, "s1", "anomaly-rate", 0.5), (raised.RuleId, raised.StationId, raised.Kind, raised.RaisedValue));

        var ack = await engineer.PostAsJsonAsync($"/api/v1/companies/acme/alarms/{raised.Id}/ack", new { comment = "nozzle 3 cleaned" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var again = await engineer.PostAsJsonAsync($"/api/v1/companies/acme/alarms/{raised.Id}/ack", new { comment = "twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // A good line: 100 frames, no anomaly, every 2 s. Each good batch lowers the minute's rate, which the anomalous
        // batches earlier in the minute held at 0.5, until it is below the clearing threshold (0.1), or a new minute
        // starts with good batches only.
        AlarmRecord cleared;
        await using (var feed = LineFeed.Start(edge, bad + 1, (seq, at) => Batch("e1", seq, [Summary("e1", "acme", "p1", "l1", "s1", at, 100, 100, 0)])))
        {
            cleared = await WaitForAlarmAsync(engineer, "cleared");
        }

        Assert.Equal(raised.Id, cleared.Id);
        Assert.Equal(("nozzle 3 cleaned", true), (cleared.AckComment, cleared.AckedBy!.Contains("plant-engineer", StringComparison.Ordinal)));
        Assert.Empty(await engineer.GetFromJsonAsync<List<AlarmRecord>>("/api/v1/companies/acme/alarms?state=active") ?? []);

        await Eventually.WaitFor(() => webhook.Bodies.Count >= 3 && mqtt.Payloads.Count >= 3, "three notices by webhook and by MQTT");
        Assert.Equal(["raised", "acknowledged", "cleared"], webhook.Bodies.Select(b => b.GetProperty("event").GetString()));
        Assert.Equal(["raised", "acknowledged", "cleared"], mqtt.Payloads.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("event").GetString()));
        Assert.All(webhook.Bodies, b => Assert.Equal(raised.Id, b.GetProperty("alarm").GetProperty("id").GetString()));
    }

    [PostgresFact]
    public async Task OnPostgres_AnAlarmIsRaisedOnceAcknowledgedAndCleared_AndTheDashboardsQueriesAnswer()
    {
        await using var hub = await HubHarness.StartOnPostgresAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        var admin = hub.Client((await hub.UserAsync("acme", "company-admin")).Key);
        (await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l1", kind = "anomaly-rate", threshold = 0.2, clearThreshold = 0.1, forMinutes = 0 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l1", kind = "outbox-backlog", threshold = 100, forMinutes = 0 })).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;
        var quality = new[] { new Contracts.DataQualityCounters("temp", 2, 0, 0, 0, 0) };
        int bad, good;
        await using (var feed = LineFeed.Start(edge, 1, (seq, at) => Batch("e1", seq, [Summary("e1", "acme", "p1", "l1", "s1", at, 10, 5, 5, anomalies: 5, quality: quality)], new Contracts.OutboxReport(500, 1, at, 0, 0, 0))))
        {
            await WaitUntilAsync(async () => (await ActiveAsync(admin)).Count == 2, "the anomaly-rate and backlog alarms", () => ShownAsync(admin, now));
            bad = await feed.StopAsync();
        }

        var raised = (await ActiveAsync(admin)).Single(a => a.Kind == "anomaly-rate");
        (await admin.PostAsJsonAsync($"/api/v1/companies/acme/alarms/{raised.Id}/ack", new { comment = "checked" })).EnsureSuccessStatusCode();
        await using (var feed = LineFeed.Start(edge, bad + 1, (seq, at) => Batch("e1", seq, [Summary("e1", "acme", "p1", "l1", "s1", at, 100, 100, 0)], new Contracts.OutboxReport(0, 0, null, 0, 0, 0))))
        {
            await WaitUntilAsync(async () => (await ActiveAsync(admin)).Count == 0, "both alarms cleared", () => ShownAsync(admin, now));
            good = await feed.StopAsync();
        }

        var cleared = await admin.GetFromJsonAsync<List<AlarmRecord>>("/api/v1/companies/acme/alarms?state=cleared");
        Assert.Equal(2, cleared!.Count);
        Assert.Equal("checked", cleared.Single(a => a.Id == raised.Id).AckComment);
        var queries = hub.Services.GetRequiredService<AiFactory.Hub.Dashboard.DashboardQueries>();
        var line = new AiFactory.Hub.Queries.MetricsScope("acme", "p1", "l1");
        Assert.Equal(2 * bad, (await queries.DataQualityAsync(line, now.AddMinutes(-15), CancellationToken.None))["s1"]);
        var minutes = await queries.MinutesAsync(line with { StationId = "s1" }, now.AddHours(-1), CancellationToken.None);
        Assert.Equal(((10L * bad) + (100L * good), (5L * bad) + (100L * good), 5L * bad, 5L * bad),
            (minutes.Sum(m => m.Frames), minutes.Sum(m => m.Pass), minutes.Sum(m => m.Fail), minutes.Sum(m => m.Anomalies)));
    }

    [Fact]
    public async Task DriftedInputs_RaiseTheStationsDriftAlarm_AtTheirPsi_AndAnUnmovedStationStaysQuiet()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--Hub:Alarms:EvaluateInterval=00:00:00.1"]);
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l2", "s2")));
        var admin = hub.Client((await hub.UserAsync("acme", "company-admin")).Key);
        var engineer = hub.Client((await hub.UserAsync("acme", "plant-engineer")).Key);
        foreach (var line in new[] { "l1", "l2" })
        {
            var created = await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line, kind = "drift", threshold = 0.25, clearThreshold = 0.1, forMinutes = 0 });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        var report = new EdgeModelReport("e1", "x",
        [
            ModelReports.Station("l1", "s1", "pump-anomaly", ModelReports.Run(null, "2.0.0", 1000, 10), inputs: [ModelReports.Feature("Current", 0), ModelReports.Feature("Pressure", 2)]),
            ModelReports.Station("l2", "s2", "pump-anomaly", ModelReports.Run(null, "2.0.0", 1000, 10), inputs: [ModelReports.Feature("Current", 0)]),
        ]);
        var sent = await edge.PostAsJsonAsync("/api/v1/edges/e1/model-report", report);
        Assert.True(sent.StatusCode == HttpStatusCode.NoContent, await sent.Content.ReadAsStringAsync());

        var raised = await WaitForAlarmAsync(engineer, "active");
        var drift = (await engineer.GetFromJsonAsync<List<AiFactory.Hub.Deployments.StationDrift>>("/api/v1/companies/acme/drift"))!;
        Assert.Equal(("l1", (string?)null, "drift"), (raised.LineId, raised.StationId, raised.Kind));
        Assert.Equal(drift.Single(d => d.Station == "p1/l1/s1").Features.Max(f => f.Psi), raised.RaisedValue);
        Assert.Single(await engineer.GetFromJsonAsync<List<AlarmRecord>>("/api/v1/companies/acme/alarms?state=active") ?? []);
    }

    [Fact]
    public async Task RuleChanges_AreRefused_ForBadValuesOtherRolesAndOtherCompanies()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        await hub.SetupPlantAsync("other", "p9", "e9", ("l9", "s9"));
        var admin = hub.Client((await hub.UserAsync("acme", "company-admin")).Key);
        var engineer = hub.Client((await hub.UserAsync("acme", "plant-engineer")).Key);
        var stranger = hub.Client((await hub.UserAsync("other", "company-admin")).Key);
        var good = new { plant = "p1", line = "l1", kind = "first-pass-yield", threshold = 0.9 };

        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l1", kind = "first-pass-yield", threshold = 1.2 }),
            HttpStatusCode.BadRequest, "alarm rule field 'threshold' 1.2 is out of range for a first-pass-yield rule: expected a fraction from 0 to 1.");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l2", kind = "edge-offline", threshold = 0 }),
            HttpStatusCode.NotFound, "line 'l2' of plant 'p1' does not exist in company 'acme'.");
        await AssertProblemAsync(await engineer.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", good),
            HttpStatusCode.Forbidden, "role 'plant-engineer' may not change company 'acme'; a company-admin key is needed.");
        await AssertProblemAsync(await stranger.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", good), HttpStatusCode.NotFound, "company 'acme' does not exist.");
        await AssertProblemAsync(await stranger.GetAsync("/api/v1/companies/acme/alarms"), HttpStatusCode.NotFound, "company 'acme' does not exist.");
        await AssertProblemAsync(await engineer.GetAsync("/api/v1/companies/acme/alarms?state=open"), HttpStatusCode.BadRequest, "query parameter 'state' 'open' is not one of: active, cleared, all.");
        await AssertProblemAsync(await engineer.PostAsJsonAsync("/api/v1/companies/acme/alarms/nope/ack", new { comment = "" }),
            HttpStatusCode.BadRequest, "acknowledgement field 'comment' is missing: say why, in 1 to 500 characters.");

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", good)).StatusCode);
        var rules = await engineer.GetFromJsonAsync<List<AlarmRuleView>>("/api/v1/companies/acme/alarm-rules");
        Assert.Equal(("first-pass-yield", 0.9, 0.9, AlarmRuleValidator.DefaultForMinutes), (rules![0].Kind, rules[0].Threshold, rules[0].ClearThreshold, rules[0].ForMinutes));
        Assert.Empty(await stranger.GetFromJsonAsync<List<AlarmRuleView>>("/api/v1/companies/other/alarm-rules") ?? []);
    }

    [Fact]
    public async Task BacklogDataQualityAndEdgeOfflineRules_RaiseFromWhatTheEdgesReport()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--Hub:Alarms:EvaluateInterval=00:00:00.1", "--Hub:EdgeOfflineAfter=00:00:02"]);
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        var admin = hub.Client((await hub.UserAsync("acme", "company-admin")).Key);
        var rules = new Dictionary<string, string>();
        foreach (var (kind, threshold) in new[] { ("outbox-backlog", 100), ("data-quality", 5), ("edge-offline", 0) })
        {
            var created = await admin.PostAsJsonAsync("/api/v1/companies/acme/alarm-rules", new { plant = "p1", line = "l1", kind, threshold, forMinutes = 0 });
            rules[kind] = (await created.Content.ReadFromJsonAsync<AlarmRuleView>())!.Id;
        }

        var quality = new[] { new Contracts.DataQualityCounters("temp", 4, 1, 0, 1, 0) };
        var batch = Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 10, 0, quality: quality)], new Contracts.OutboxReport(500, 64_000, DateTimeOffset.UtcNow, 0, 0, 0));
        (await edge.PostAsync("/api/v1/ingest", Json(batch))).EnsureSuccessStatusCode();

        var raised = new List<AlarmRecord>();
        await WaitUntilAsync(async () => (raised = await ActiveAsync(admin)).Count == 3, "three active alarms");
        Assert.Equal((500.0, 6.0, 1.0), (raised.Single(a => a.RuleId == rules["outbox-backlog"]).RaisedValue, raised.Single(a => a.RuleId == rules["data-quality"]).RaisedValue,
            raised.Single(a => a.RuleId == rules["edge-offline"]).RaisedValue));
    }

    private static async Task<string> ShownAsync(HttpClient admin, DateTimeOffset now) =>
        $"active {string.Join(", ", (await ActiveAsync(admin)).Select(a => a.Kind))}; line {await admin.GetStringAsync("/api/v1/companies/acme/plants/p1/lines/l1/metrics?from=" + Uri.EscapeDataString(now.AddMinutes(-2).ToString("O")) + "&to=" + Uri.EscapeDataString(now.AddMinutes(5).ToString("O")))}";

    private static async Task<List<AlarmRecord>> ActiveAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<AlarmRecord>>("/api/v1/companies/acme/alarms?state=active"))!;

    /// <summary>
    /// Waits up to 60 s (a grain activated on PostgreSQL under the whole suite's load once took longer than 20 s to
    /// raise); a miss names what the hub showed last.
    /// </summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<Task<string>>? shown = null)
    {
        var patience = TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                string seen;
                try
                {
                    seen = shown is null ? "-" : await shown();
                }
                catch (HttpRequestException ex)
                {
                    seen = ex.Message;
                }

                Assert.Fail($"{what} not reached within {patience.TotalSeconds} s; the hub showed: {seen}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<AlarmRecord> WaitForAlarmAsync(HttpClient client, string state)
    {
        AlarmRecord? found = null;
        await WaitUntilAsync(async () => (found = (await client.GetFromJsonAsync<List<AlarmRecord>>($"/api/v1/companies/acme/alarms?state={state}"))!.FirstOrDefault()) is not null, $"a {state} alarm");
        return found!;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    /// <summary>
    /// An edge's line reporting as a real one does: a batch stamped now, then another every 2 s, until stopped. Rate
    /// rules judge the current minute, and a minute without frames proves neither side, so one batch sent just before
    /// a minute's turn (a run slowed by the whole suite's load) would never raise or clear its alarm.
    /// </summary>
    private sealed class LineFeed : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task<int> _sending = Task.FromResult(0);

        public static LineFeed Start(HttpClient edge, long firstSequence, Func<long, DateTimeOffset, UplinkBatch> batch)
        {
            var feed = new LineFeed();
            feed._sending = feed.SendAsync(edge, firstSequence, batch);
            return feed;
        }

        /// <summary>Stops sending; the number of batches the hub took.</summary>
        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            return await _sending;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        private async Task<int> SendAsync(HttpClient edge, long sequence, Func<long, DateTimeOffset, UplinkBatch> batch)
        {
            var sent = 0;
            while (!_stop.IsCancellationRequested)
            {
                // Not cancelled mid-request: a batch the hub applied but the test did not count would break the totals.
                (await edge.PostAsync("/api/v1/ingest", Json(batch(sequence++, DateTimeOffset.UtcNow)), CancellationToken.None)).EnsureSuccessStatusCode();
                sent++;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return sent;
        }
    }
}
