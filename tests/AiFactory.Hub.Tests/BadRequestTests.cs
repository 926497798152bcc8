using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>Malformed, oversized and inconsistent uploads: a clear problem naming the field, counted, nothing applied.</summary>
[Trait("Category", "Integration")]
public sealed class BadRequestTests : IAsyncLifetime
{
    private HubHarness _hub = null!;
    private HttpClient _edge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync(extra: ["--Hub:Ingest:MaxRequestBytes=65536", "--Hub:Ingest:MaxInflatedBytes=262144", "--Hub:Ingest:MaxRecords=50"]);
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
    }

    public async Task DisposeAsync()
    {
        _edge.Dispose();
        await _hub.DisposeAsync();
    }

    [Theory]
    [InlineData("{not json", "body is not a valid UplinkBatch")]
    [InlineData("null", "body is JSON null")]
    [InlineData("{\"edgeId\":\"e1\",\"firstSequence\":\"x\"}", "body is not a valid UplinkBatch")]
    [InlineData("{\"edgeId\":\"e1\",\"firstSequence\":0,\"lastSequence\":0,\"producedAtUtc\":\"2026-11-22T10:00:00Z\",\"outbox\":{\"backlogRecords\":0,\"backlogBytes\":0,\"droppedOldest\":0,\"rejectedNew\":0,\"quarantined\":0}}", "records is missing")]
    public async Task MalformedJson_Is400NamingTheProblem(string body, string expected)
    {
        var response = await _edge.PostAsync("/api/v1/ingest", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<StationWindowSummary, StationWindowSummary>> BadSummaries => new()
    {
        { "records[0].summary: passCount + failCount (11) exceeds framesScored (10)", s => s with { PassCount = 10, FailCount = 1 } },
        { "records[0].summary: windowEndUtc must be after windowStartUtc", s => s with { WindowEndUtc = s.WindowStartUtc } },
        { "records[0].summary.stationId is missing", s => s with { StationId = "" } },
        { "records[0].summary.scores.bounds are not the standard bounds", s => s with { Scores = new MergeableHistogram([1.0]).ToData() } },
        { "records[0].summary.latencyMs: histogram counts add up to 10, but count is 99", s => s with { LatencyMs = s.LatencyMs with { Count = 99 } } },
        { "records[0].summary.scores: histogram count 3 is negative (-1)", s => s with { Scores = s.Scores with { Counts = [.. s.Scores.Counts.Select((c, i) => i == 3 ? -1 : c)] } } },
        { "records[0].summary.scores: min and max must be finite with min ≤ max", s => s with { Scores = s.Scores with { Min = 0.9, Max = 0.1 } } },
        { "records[0].summary.edgeId 'other' is not the batch's edge 'e1'", s => s with { EdgeId = "other" } },
        { "records[0].summary.classCounts['Bumps'] is negative", s => s with { ClassCounts = new Dictionary<string, long> { ["Bumps"] = -1 } } },
        { "records[0].summary.classCounts['Bumps'] (11) exceeds framesScored (10)", s => s with { ClassCounts = new Dictionary<string, long> { ["Bumps"] = 11 } } },
        { "records[0].summary.anomalyCount (1000000000001) exceeds 1000000000000", s => s with { AnomalyCount = 1_000_000_000_001 } },
        { "records[0].summary.framesScored (-1) must not be negative", s => s with { FramesScored = -1 } },
        { "records[0].summary.dataQuality['t1'] has a counter above 1000000000000", s => s with { DataQuality = [new DataQualityCounters("t1", long.MaxValue, 0, 0, 0, 0)] } },
        { "records[0].summary.scores: histogram count 0 (9223372036854775807) exceeds 1000000000000", s => s with { Scores = s.Scores with { Counts = [long.MaxValue, .. s.Scores.Counts.Skip(1)] } } },
        { "records[0].summary.latencyMs: min 0 and max 1E+300 must lie within ±1e12", s => s with { LatencyMs = s.LatencyMs with { Min = 0, Max = 1e300, Sum = 1e300 } } },
        { "records[0].summary.latencyMs: histogram sum 1E+20 is not between count × min (12) and count × max (12)", s => s with { LatencyMs = s.LatencyMs with { Sum = 1e20 } } },
        { "records[0].summary: the window from 2026-11-22T10:00:00.0000000+00:00 to 2026-11-24T10:00:00.0000000+00:00 is longer than a day", s => s with { WindowEndUtc = s.WindowStartUtc.AddDays(2) } },
    };

    [Theory]
    [MemberData(nameof(BadSummaries))]
    public async Task InconsistentSummary_Is400NamingTheField(string expected, Func<StationWindowSummary, StationWindowSummary> spoil)
    {
        var batch = Batch("e1", 1, [spoil(Summary("e1", "acme", "p1", "l1", "s1", T0, 10, 9, 1))]);

        var response = await _edge.PostAsync("/api/v1/ingest", Json(batch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await FramesAsync());
    }

    [Fact]
    public async Task SequencesNotIncreasing_Is400()
    {
        var s = Summary("e1", "acme", "p1", "l1", "s1", T0, 10, 10, 0);
        var batch = new UplinkBatch("e1", 5, 4, T0, [new UplinkRecord(5, s, null), new UplinkRecord(4, s, null)], new OutboxReport(0, 0, null, 0, 0, 0));

        var response = await _edge.PostAsync("/api/v1/ingest", Json(batch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("records[1].sequence 4 does not increase (previous 5)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyRecords_Is400()
    {
        var batch = Batch("e1", 1, Enumerable.Range(0, 51).Select(i => (object)Event("acme", "p1", "l1", "s1", T0)));

        var response = await _edge.PostAsync("/api/v1/ingest", Json(batch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("records has 51 entries; at most 50", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var body = new StringContent("{\"edgeId\":\"" + new string('x', 70_000) + "\"}", Encoding.UTF8, "application/json");

        var response = await _edge.PostAsync("/api/v1/ingest", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds the limit of 65536 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GzipBomb_Is413()
    {
        using var buffer = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(Encoding.ASCII.GetBytes("{\"edgeId\":\"" + new string(' ', 1_000_000)));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        var response = await _edge.PostAsync("/api/v1/ingest", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("inflated body exceeds the limit of 262144 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotGzipThoughSaidSo_Is400()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("plainly not gzip"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        var response = await _edge.PostAsync("/api/v1/ingest", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("body is not valid gzip", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongContentType_Is415()
    {
        var response = await _edge.PostAsync("/api/v1/ingest", new StringContent("edgeId=e1", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("content type 'text/plain; charset=utf-8' is not application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/companies/acme/metrics?from=yesterday", "query 'from' is 'yesterday', not an ISO 8601 time")]
    [InlineData("/api/v1/companies/acme/metrics?bucket=week", "query 'bucket' is 'week'")]
    [InlineData("/api/v1/companies/acme/metrics?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "must be before 'to'")]
    [InlineData("/api/v1/companies/acme/metrics?from=2026-01-01T00:00:00Z&to=2026-11-22T09:00:00Z&bucket=minute", "too long for minute buckets")]
    [InlineData("/api/v1/companies/acme/plants/p1/lines/l1/events?limit=0", "query 'limit' is '0'")]
    public async Task BadQuery_Is400NamingTheParameter(string path, string expected)
    {
        var response = await _hub.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/admin/companies", "{\"id\":\"Has Spaces\"}", "company id 'Has Spaces' is not a valid id")]
    [InlineData("/api/v1/admin/companies/acme/users", "{\"role\":\"emperor\"}", "role 'emperor' is not a user role")]
    public async Task BadAdminBody_Is400(string path, string body, string expected)
    {
        var response = await _hub.Admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateTenancyObject_Is409()
    {
        var response = await _hub.Admin.PostAsync("/api/v1/admin/companies", new StringContent("{\"id\":\"acme\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("company 'acme' already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedBatches_AreCounted()
    {
        var metrics = (AiFactory.Hub.Hosting.HubMetrics)_hub.Services.GetService(typeof(AiFactory.Hub.Hosting.HubMetrics))!;
        var before = metrics.RefusedTotal;

        await _edge.PostAsync("/api/v1/ingest", new StringContent("{", Encoding.UTF8, "application/json"));

        Assert.Equal(before + 1, metrics.RefusedTotal);
    }

    private async Task<long> FramesAsync()
    {
        var json = System.Text.Json.JsonDocument.Parse(await _hub.Admin.GetStringAsync("/api/v1/companies/acme/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z"));
        return json.RootElement.GetProperty("totals").GetProperty("frames").GetInt64();
    }
}
