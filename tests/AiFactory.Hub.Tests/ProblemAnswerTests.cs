using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Tests;

/// <summary>Every error the hub answers is application/problem+json with a detail, whoever raised it.</summary>
[Trait("Category", "Integration")]
public sealed class ProblemAnswerTests : IAsyncLifetime
{
    private HubHarness _hub = null!;
    private HttpClient _edge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync(extra: ["--Hub:Ingest:MaxRequestBytes=65536"]);
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
    }

    public async Task DisposeAsync()
    {
        _edge.Dispose();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task EveryErrorStatus_AnswersProblemJsonWithDetail()
    {
        using var anonymous = _hub.Client(null);
        var answers = new List<(int Expected, HttpResponseMessage Response)>
        {
            (400, await _edge.PostAsync("/api/v1/ingest", new StringContent("{", Encoding.UTF8, "application/json"))),
            (400, await _hub.Admin.PostAsync("/api/v1/admin/companies", new StringContent("{\"id\":", Encoding.UTF8, "application/json"))),
            (401, await anonymous.GetAsync("/api/v1/companies/acme/metrics")),
            (403, await _edge.GetAsync("/api/v1/companies/acme/metrics")),
            (404, await _hub.Admin.GetAsync("/api/v1/companies/nobody/metrics")),
            (404, await _hub.Admin.GetAsync("/api/v1/no-such-route")),
            (405, await _hub.Admin.GetAsync("/api/v1/ingest")),
            (413, await _edge.PostAsync("/api/v1/ingest", new StringContent("{\"edgeId\":\"" + new string('x', 70_000) + "\"}", Encoding.UTF8, "application/json"))),
            (415, await _edge.PostAsync("/api/v1/ingest", new StringContent("edgeId=e1", Encoding.UTF8, "text/plain"))),
            (415, await _hub.Admin.PostAsync("/api/v1/admin/companies", new StringContent("id=x", Encoding.UTF8, "text/plain"))),
        };
        var db = _hub.Services.GetRequiredService<HubDatabase>();
        await db.WriteAsync((c, tx) => c.ExecuteAsync("DROP TABLE station_bucket_quality", transaction: tx), CancellationToken.None);
        answers.Add((500, await _hub.Admin.GetAsync("/api/v1/companies/acme/metrics")));

        foreach (var (expected, response) in answers)
        {
            var body = await response.Content.ReadAsStringAsync();
            var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} → {(int)response.StatusCode} {body}";
            Assert.True(expected == (int)response.StatusCode, what);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
            Assert.True(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32() == expected, what);
            Assert.True(body.Contains("\"title\"", StringComparison.Ordinal), what);
        }
    }

    [Fact]
    public async Task InternalError_NamesTheTraceNotTheException()
    {
        var db = _hub.Services.GetRequiredService<HubDatabase>();
        await db.WriteAsync((c, tx) => c.ExecuteAsync("DROP TABLE station_bucket_quality", transaction: tx), CancellationToken.None);

        var response = await _hub.Admin.GetAsync("/api/v1/companies/acme/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("the hub failed to answer GET /api/v1/companies/acme/metrics; the error is logged under trace id", body, StringComparison.Ordinal);
        Assert.DoesNotContain("station_bucket_quality", body, StringComparison.Ordinal);
    }
}
