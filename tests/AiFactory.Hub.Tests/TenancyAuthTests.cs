using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>Two companies on one hub: every cross-company read or write is refused, keys are checked on every call.</summary>
[Trait("Category", "Integration")]
public sealed class TenancyAuthTests : IAsyncLifetime
{
    private HubHarness _hub = null!;
    private string _acmeEdge = null!;
    private string _globexEdge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        _acmeEdge = await _hub.SetupPlantAsync("acme", "p1", "acme-e1", ("l1", "s1"));
        _globexEdge = await _hub.SetupPlantAsync("globex", "g1", "globex-e1", ("gl1", "gs1"));
        using var edge = _hub.Client(_globexEdge);
        await edge.PostAsync("/api/v1/ingest", Json(Batch("globex-e1", 1, [Summary("globex-e1", "globex", "g1", "gl1", "gs1", T0, 10, 10, 0)])));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/companies/globex")]
    [InlineData("/api/v1/companies/globex/metrics")]
    [InlineData("/api/v1/companies/globex/plants/g1/metrics")]
    [InlineData("/api/v1/companies/globex/plants/g1/lines/gl1/metrics")]
    [InlineData("/api/v1/companies/globex/plants/g1/lines/gl1/stations/gs1/metrics")]
    [InlineData("/api/v1/companies/globex/plants/g1/edges")]
    [InlineData("/api/v1/companies/globex/plants/g1/lines/gl1/events")]
    public async Task EveryRoleOfAnotherCompany_ReadsNothing(string path)
    {
        foreach (var role in new[] { "plant-engineer", "data-scientist", "alliance-analyst", "company-admin" })
        {
            using var acme = _hub.Client((await _hub.UserAsync("acme", role)).Key);

            var response = await acme.GetAsync(path);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("\"frames\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OwnCompany_IsReadable_ButAnUnknownPlantIs404()
    {
        using var globex = _hub.Client((await _hub.UserAsync("globex", "plant-engineer")).Key);

        var ok = await globex.GetAsync("/api/v1/companies/globex/plants/g1/metrics");
        var missing = await globex.GetAsync("/api/v1/companies/globex/plants/nope/metrics");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("plant 'nope' does not exist", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/admin/companies/globex/plants", "{\"id\":\"x\"}")]
    [InlineData("/api/v1/admin/companies/globex/plants/g1/lines", "{\"id\":\"x\"}")]
    [InlineData("/api/v1/admin/companies/globex/plants/g1/lines/gl1/stations", "{\"id\":\"x\"}")]
    [InlineData("/api/v1/admin/companies/globex/plants/g1/edges", "{\"id\":\"x\"}")]
    [InlineData("/api/v1/admin/companies/globex/users", "{\"role\":\"company-admin\"}")]
    public async Task CompanyAdmin_CannotWriteAnotherCompany(string path, string body)
    {
        using var acmeAdmin = _hub.Client((await _hub.UserAsync("acme", "company-admin")).Key);

        var response = await acmeAdmin.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PlantEngineer_CannotChangeTenancy_AndOnlyHubAdminCreatesCompanies()
    {
        using var engineer = _hub.Client((await _hub.UserAsync("acme", "plant-engineer")).Key);
        using var acmeAdmin = _hub.Client((await _hub.UserAsync("acme", "company-admin")).Key);

        var plant = await engineer.PostAsJsonAsync("/api/v1/admin/companies/acme/plants", new { id = "p2" });
        var company = await acmeAdmin.PostAsJsonAsync("/api/v1/admin/companies", new { id = "initech" });
        var own = await acmeAdmin.PostAsJsonAsync("/api/v1/admin/companies/acme/plants", new { id = "p2" });

        Assert.Equal(HttpStatusCode.Forbidden, plant.StatusCode);
        Assert.Contains("company-admin key is needed", await plant.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, company.StatusCode);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }

    [Fact]
    public async Task EdgeKey_CannotWriteAnotherCompanysPlant_NorAnUnregisteredStation_NorRead()
    {
        using var acme = _hub.Client(_acmeEdge);

        var foreign = await acme.PostAsync("/api/v1/ingest", Json(Batch("acme-e1", 1, [Summary("acme-e1", "globex", "g1", "gl1", "gs1", T0, 5, 5, 0)])));
        var unregistered = await acme.PostAsync("/api/v1/ingest", Json(Batch("acme-e1", 1, [Summary("acme-e1", "acme", "p1", "l1", "ghost", T0, 5, 5, 0)])));
        var otherEdge = await acme.PostAsync("/api/v1/ingest", Json(Batch("globex-e1", 9, [Summary("globex-e1", "globex", "g1", "gl1", "gs1", T0, 5, 5, 0)])));
        var read = await acme.GetAsync("/api/v1/companies/acme/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("bound to company 'acme', plant 'p1'", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, unregistered.StatusCode);
        Assert.Contains("station 'ghost' on line 'l1', which is not registered", await unregistered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, otherEdge.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        using var globex = _hub.Client((await _hub.UserAsync("globex", "plant-engineer")).Key);
        var totals = JsonDocument.Parse(await globex.GetStringAsync("/api/v1/companies/globex/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z"));
        Assert.Equal(10, totals.RootElement.GetProperty("totals").GetProperty("frames").GetInt64());
    }

    [Fact]
    public async Task UserKey_CannotIngest()
    {
        using var user = _hub.Client((await _hub.UserAsync("acme", "company-admin")).Key);

        var response = await user.PostAsync("/api/v1/ingest", Json(Batch("acme-e1", 1, [Summary("acme-e1", "acme", "p1", "l1", "s1", T0, 5, 5, 0)])));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not an edge key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "no API key")]
    [InlineData("Basic dXNlcjpwYXNz", "does not carry an AiFactory API key")]
    [InlineData("Bearer aif_000000000000_wrong", "is not known to this hub")]
    public async Task MissingOrWrongKey_Is401WithTheReason(string? header, string reason)
    {
        using var client = _hub.Client(null);
        if (header is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        }

        var response = await client.GetAsync("/api/v1/companies/acme/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecretForAKnownId_Is401()
    {
        var id = _acmeEdge.Split('_')[1];
        using var client = _hub.Client($"aif_{id}_notthesecret");

        var response = await client.PostAsync("/api/v1/ingest", Json(Batch("acme-e1", 1, [Summary("acme-e1", "acme", "p1", "l1", "s1", T0, 5, 5, 0)])));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RevokedKey_Is401AtOnce_AndAnotherCompanysKeyCannotBeRevoked()
    {
        var user = await _hub.UserAsync("acme", "plant-engineer");
        using var client = _hub.Client(user.Key);
        using var globexAdmin = _hub.Client((await _hub.UserAsync("globex", "company-admin")).Key);
        using var acmeAdmin = _hub.Client((await _hub.UserAsync("acme", "company-admin")).Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/companies/acme/metrics")).StatusCode);

        var foreign = await globexAdmin.PostAsync($"/api/v1/admin/keys/{user.KeyId}/revoke", null);
        var own = await acmeAdmin.PostAsync($"/api/v1/admin/keys/{user.KeyId}/revoke", null);
        var after = await client.GetAsync("/api/v1/companies/acme/metrics");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("was revoked", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedEdgeKey_CannotUpload()
    {
        var key = await _hub.SetupPlantAsync("acme", "p1", "acme-e2", ("l1", "s1"));
        await _hub.Admin.PostAsync($"/api/v1/admin/keys/{key.Split('_')[1]}/revoke", null);
        using var edge = _hub.Client(key);

        var response = await edge.PostAsync("/api/v1/ingest", Json(Batch("acme-e2", 1, [Summary("acme-e2", "acme", "p1", "l1", "s1", T0, 5, 5, 0)])));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_NeedsNoKey()
    {
        using var anonymous = _hub.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}
