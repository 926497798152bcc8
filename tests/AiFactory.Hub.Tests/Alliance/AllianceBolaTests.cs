using System.Net;
using System.Net.Http.Json;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Every alliance route refuses another company's policies, standing, reports, audit and rooms with 404, and an alliance the caller's company is not in.</summary>
[Trait("Category", "Integration")]
public sealed class AllianceBolaTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await AllianceWorld.StartAsync();
        await _w.AddCompanyAsync("acme", AllianceWorld.Day1, ("l1", "pumps", 100, 90, 10));
        await _w.AddCompanyAsync("globex", AllianceWorld.Day1, ("l1", "pumps", 100, 90, 10));
        await _w.Hub.SetupPlantAsync("outsider", "p1", "outsider-e1", ("l1", "s1"));
        await _w.ShareAsync("globex");
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    public static TheoryData<string, string> OtherCompanysRoutes => new()
    {
        { "GET", "/api/v1/alliances/ev/companies/globex/policies" },
        { "PUT", "/api/v1/alliances/ev/companies/globex/policies/first-pass-yield" },
        { "DELETE", "/api/v1/alliances/ev/companies/globex/policies/first-pass-yield" },
        { "GET", "/api/v1/alliances/ev/companies/globex/standing?process=welding" },
        { "GET", "/api/v1/alliances/ev/companies/globex/standing/report?process=welding" },
        { "GET", "/api/v1/alliances/ev/companies/globex/audit" },
        { "GET", "/api/v1/alliances/ev/companies/globex/offers" },
        { "POST", "/api/v1/alliances/ev/companies/globex/offers" },
        { "DELETE", "/api/v1/alliances/ev/companies/globex/offers/x1" },
        { "PUT", "/api/v1/admin/companies/globex/plants/p1/lines/l1/process" },
    };

    [Theory]
    [MemberData(nameof(OtherCompanysRoutes))]
    public async Task EveryRoleOfAnotherMember_GetsNotFound(string method, string path)
    {
        foreach (var role in new[] { "plant-engineer", "data-scientist", "alliance-analyst", "company-admin" })
        {
            var client = await _w.Key("acme", role);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method is "PUT" or "POST" ? JsonContent.Create(new { level = "private", purposes = new[] { "benchmarking" }, expires = AllianceWorld.Expiry }) : null,
            });

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{role} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Contains("company 'globex' does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> AllianceRoutes => new()
    {
        { "GET", "/api/v1/alliances/ev" },
        { "GET", "/api/v1/alliances/ev/budget" },
        { "GET", "/api/v1/alliances/ev/benchmarks?process=welding&metric=first-pass-yield" },
        { "GET", "/api/v1/alliances/ev/companies/outsider/policies" },
        { "GET", "/api/v1/alliances/ev/companies/outsider/standing?process=welding" },
        { "GET", "/api/v1/alliances/ev/datasets" },
        { "GET", "/api/v1/alliances/ev/datasets/x1/chunks" },
        { "GET", "/api/v1/alliances/ev/datasets/x1/training.csv" },
    };

    [Theory]
    [MemberData(nameof(AllianceRoutes))]
    public async Task CompanyOutsideTheAlliance_GetsNotFound(string method, string path)
    {
        foreach (var role in new[] { "data-scientist", "alliance-analyst", "company-admin" })
        {
            var client = await _w.Key("outsider", role);

            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("alliance 'ev' does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MemberNamingACompanyOutsideTheAlliance_GetsNotFound_AndAnUnknownAllianceToo()
    {
        var acme = await _w.Key("acme", "company-admin");

        var own = await acme.GetAsync("/api/v1/alliances/ev/companies/acme/policies");
        var unknown = await acme.GetAsync("/api/v1/alliances/nope/companies/acme/policies");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("alliance 'nope' does not exist", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAdmins_CannotChangePoliciesOrTheTaxonomy()
    {
        var engineer = await _w.Key("acme", "plant-engineer");
        var admin = await _w.Key("acme", "company-admin");

        var policy = await engineer.PutAsJsonAsync("/api/v1/alliances/ev/companies/acme/policies/first-pass-yield",
            new { level = "alliance-aggregate", purposes = new[] { "benchmarking" }, expires = AllianceWorld.Expiry });
        var taxonomy = await admin.PostAsJsonAsync("/api/v1/admin/process-types", new { id = "forging" });
        var alliance = await admin.PostAsJsonAsync("/api/v1/admin/alliances", new { id = "mine" });

        Assert.Equal(HttpStatusCode.Forbidden, policy.StatusCode);
        Assert.Contains("a company-admin key is needed", await policy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, taxonomy.StatusCode);
        Assert.Contains("role 'company-admin' may not change the process taxonomy; a hub-admin key is needed.", await taxonomy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, alliance.StatusCode);
    }
}
