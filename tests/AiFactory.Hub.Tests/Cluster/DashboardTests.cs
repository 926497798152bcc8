using System.Net;
using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests.Cluster;

/// <summary>The Orleans Dashboard has no authentication of its own: the hub serves it to hub-admin keys only.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardTests
{
    [Fact]
    public async Task HubAdminKey_GetsTheDashboardAndItsData()
    {
        await using var hub = await HubHarness.StartAsync();

        using var page = await hub.Admin.GetAsync("/dashboard/");
        using var version = await hub.Admin.GetAsync("/dashboard/version");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Contains("\"version\":", await version.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherCallers_AreRefused_401WithoutAKey_403ForOtherRoles()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        var companyAdmin = await hub.UserAsync("acme", "company-admin");
        var engineer = await hub.UserAsync("acme", "plant-engineer");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(hub, null, "/dashboard/"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(hub, "aif_nosuchkey_0123456789abcdef0123456789abcdef", "/dashboard/DashboardCounters"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(hub, companyAdmin.Key, "/dashboard/"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(hub, engineer.Key, "/dashboard/ClusterStats"));
    }

    [Fact]
    public async Task DashboardTurnedOff_Answers404EvenToHubAdmins()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--Hub:Silo:Dashboard=false"]);

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(hub, hub.AdminKey, "/dashboard/"));
    }

    private static async Task<HttpStatusCode> StatusAsync(HubHarness hub, string? key, string path)
    {
        using var client = hub.Client(key);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
