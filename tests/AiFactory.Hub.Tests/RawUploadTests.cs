using System.Net;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>Raw sensor chunks of a station that opted in: stored once, readable by its own company only.</summary>
[Trait("Category", "Integration")]
public sealed class RawUploadTests : IAsyncLifetime
{
    private HubHarness _hub = null!;
    private HttpClient _edge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        await _hub.SetupPlantAsync("globex", "p9", "e9", ("l9", "s9"));
    }

    public async Task DisposeAsync()
    {
        _edge.Dispose();
        await _hub.DisposeAsync();
    }

    private static StationRawChunk Chunk(params double?[] values) =>
        new("acme", "p1", "l1", "s1", ["pump/acc1", "pump/flow"], values.Chunk(2).Select((v, i) => new RawRow(T0.AddMilliseconds(i), v)).ToList());

    private static UplinkBatch RawBatch(long seq, StationRawChunk chunk) =>
        new("e1", seq, seq, T0, [new UplinkRecord(seq, null, null, chunk)], new OutboxReport(0, 0, null, 0, 0, 0));

    [Fact]
    public async Task RawChunk_IsStoredOnce_AndReadBackByTheCompanysDataScientist()
    {
        var batch = RawBatch(1, Chunk(0.21, 32.5, null, 32.6));
        Assert.Equal(HttpStatusCode.OK, (await _edge.PostAsync("/api/v1/ingest", Json(batch))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _edge.PostAsync("/api/v1/ingest", Json(batch))).StatusCode);

        using var scientist = _hub.Client((await _hub.UserAsync("acme", "data-scientist")).Key);
        var rows = await scientist.GetFromJsonAsync<List<RawChunkRow>>($"/api/v1/companies/acme/plants/p1/lines/l1/stations/s1/raw?from={Uri.EscapeDataString($"{T0.AddMinutes(-1):O}")}&to={Uri.EscapeDataString($"{T0.AddMinutes(1):O}")}");

        var chunk = Assert.Single(rows!);
        Assert.Equal(("e1", 1L, 2), (chunk.EdgeId, chunk.Seq, chunk.Rows.Count));
        Assert.Equal(["pump/acc1", "pump/flow"], chunk.Tags);
        Assert.Equal([null, 32.6], chunk.Rows[1].Values);
        Assert.Equal((T0, T0.AddMilliseconds(1)), (chunk.FirstTimeUtc, chunk.LastTimeUtc));
    }

    [Fact]
    public async Task RawValues_AreHiddenFromOtherCompanies_AndFromRolesOutsideThePlant()
    {
        Assert.Equal(HttpStatusCode.OK, (await _edge.PostAsync("/api/v1/ingest", Json(RawBatch(1, Chunk(1, 2))))).StatusCode);
        var path = "/api/v1/companies/acme/plants/p1/lines/l1/stations/s1/raw";

        using var otherCompany = _hub.Client((await _hub.UserAsync("globex", "company-admin")).Key);
        using var analyst = _hub.Client((await _hub.UserAsync("acme", "alliance-analyst")).Key);
        using var hubAdmin = _hub.Client(_hub.AdminKey);

        Assert.Equal(HttpStatusCode.NotFound, (await otherCompany.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hubAdmin.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _edge.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task RawChunk_WithARowOfTheWrongWidth_Is400NamingTheRow()
    {
        var bad = new StationRawChunk("acme", "p1", "l1", "s1", ["a", "b"], [new RawRow(T0, [1.0, 2.0]), new RawRow(T0, [1.0])]);

        var response = await _edge.PostAsync("/api/v1/ingest", Json(RawBatch(1, bad)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("records[0].raw.rows[1] must hold one value per tag (2); it holds 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawChunk_ForAStationOfAnotherPlant_Is403()
    {
        var foreign = new StationRawChunk("globex", "p9", "l9", "s9", ["a"], [new RawRow(T0, [1.0])]);

        var response = await _edge.PostAsync("/api/v1/ingest", Json(RawBatch(1, foreign)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
