using System.Net;
using System.Text;
using AiFactory.Hub.Cli;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>One id grammar (AiFactory.Contracts.EntityId) at every entry of the hub: ingest, admin, query routes, CLI.</summary>
[Trait("Category", "Integration")]
public sealed class IdGrammarTests : IAsyncLifetime
{
    private const string Grammar = "([a-z0-9][a-z0-9._-]{0,63})";
    private HubHarness _hub = null!;
    private HttpClient _edge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
    }

    public async Task DisposeAsync()
    {
        _edge.Dispose();
        await _hub.DisposeAsync();
    }

    public static TheoryData<string, Func<Contracts.StationWindowSummary, Contracts.StationWindowSummary>> BadIds => new()
    {
        { "records[0].summary.stationId 'S1' is not a valid id", s => s with { StationId = "S1" } },
        { "records[0].summary.lineId 'l1\\n[16:09:99 INF] x' is not a valid id", s => s with { LineId = "l1\n[16:09:99 INF] x" } },
        { "records[0].summary.companyId 'a/b' is not a valid id", s => s with { CompanyId = "a/b" } },
        { "records[0].summary.plantId '-p1' is not a valid id", s => s with { PlantId = "-p1" } },
        { "records[0].summary.modelName 'pump anomaly' is not a valid id", s => s with { ModelName = "pump anomaly" } },
        { "records[0].summary.stationId is missing; an id is required", s => s with { StationId = "" } },
        { $"records[0].summary.stationId '{new string('s', 65)}' is not a valid id", s => s with { StationId = new string('s', 65) } },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task IngestRecordWithBadId_Is400NamingFieldAndGrammar(string expected, Func<Contracts.StationWindowSummary, Contracts.StationWindowSummary> spoil)
    {
        var response = await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [spoil(Summary("e1", "acme", "p1", "l1", "s1", T0, 10, 9, 1))])));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(Grammar, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/companies/ACME/metrics", "path company 'ACME' is not a valid id")]
    [InlineData("/api/v1/companies/acme/plants/p%201/edges", "path plant 'p 1' is not a valid id")]
    [InlineData("/api/v1/companies/acme/plants/p1/lines/l1/stations/s%0A1/metrics", "path station 's\\n1' is not a valid id")]
    public async Task QueryRouteWithBadId_Is400(string path, string expected)
    {
        var response = await _hub.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/admin/companies/acme/plants/P1/lines", "{\"id\":\"l2\"}", "path plant 'P1' is not a valid id")]
    [InlineData("/api/v1/admin/companies/acme/plants/p1/lines", "{\"id\":\"Line 2\"}", "line id 'Line 2' is not a valid id")]
    [InlineData("/api/v1/admin/keys/x%0Ay/revoke", "{}", "path keyId 'x\\ny' is not a valid id")]
    public async Task AdminRequestWithBadId_Is400(string path, string body, string expected)
    {
        var response = await _hub.Admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("station", "--company", "acme", "--plant", "p1", "--line", "l1", "--id", "Pump 1", "error: station id 'Pump 1' is not a valid id")]
    [InlineData("station", "--company", "acme", "--plant", "p1\n", "--line", "l1", "--id", "s9", "error: plant id 'p1\\n' is not a valid id")]
    [InlineData("revoke", "--key-id", "../x", "", "", "", "", "", "", "error: key id '../x' is not a valid id")]
    public async Task CliWithBadId_ExitsNamingFieldAndGrammar(string command, string o1, string v1, string o2, string v2, string o3, string v3, string o4, string v4, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-cli-").FullName;
        using var output = new StringWriter();
        string[] args = ["admin", command, "--provider", "Sqlite", "--connection", $"Data Source={Path.Combine(dir, "hub.db")}", .. new[] { o1, v1, o2, v2, o3, v3, o4, v4 }.Where(a => a.Length > 0)];

        var exit = await HubCli.RunAsync(args, output);

        Assert.Equal(2, exit);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        Assert.Contains(Grammar, output.ToString(), StringComparison.Ordinal);
    }
}
