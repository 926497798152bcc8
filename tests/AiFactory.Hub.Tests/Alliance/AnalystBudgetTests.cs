using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>An alliance with Gaussian noise: the budget is per analyst (a named user across keys), δ is recorded, uncalibrated ε refused.</summary>
[Trait("Category", "Integration")]
public sealed class AnalystBudgetTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await AllianceWorld.StartAsync(new { id = AllianceWorld.Alliance, name = "EV", differentialPrivacy = true, epsilonBudget = 0.5, epsilonPerQuery = 0.2, mechanism = "gaussian", delta = 1e-6 });
        for (var i = 1; i <= 6; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 100 - i, i));
            await _w.ShareAsync($"c{i}");
        }

        await _w.RollAsync();
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    private async Task<HttpClient> AnalystKeyAsync(string company, string? owner)
    {
        var created = await _w.Hub.Admin.PostAsJsonAsync($"/api/v1/admin/companies/{company}/users", new { name = "analyst", role = "alliance-analyst", owner });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return _w.Hub.Client((await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key);
    }

    [Fact]
    public async Task TwoKeysOfOneAnalyst_ShareOneBudget_AnotherAnalystHasHisOwn()
    {
        using var laptop = await AnalystKeyAsync("c1", "alice");
        using var server = await AnalystKeyAsync("c1", "alice");
        using var bob = await AnalystKeyAsync("c1", "bob");
        using var unnamed = await AnalystKeyAsync("c1", null);

        var first = await _w.GetJsonAsync(laptop, AllianceWorld.Benchmark());
        var second = await _w.GetJsonAsync(server, AllianceWorld.Benchmark());
        var third = await laptop.GetAsync(AllianceWorld.Benchmark());
        var bobs = await _w.GetJsonAsync(bob, AllianceWorld.Benchmark());
        var unnamedBudget = await _w.GetJsonAsync(unnamed, "/api/v1/alliances/ev/budget");
        var aliceBudget = await _w.GetJsonAsync(server, "/api/v1/alliances/ev/budget");

        Assert.Equal(0.3, first.GetProperty("privacy").GetProperty("epsilonLeft").GetDouble(), 9);
        Assert.Equal(0.1, second.GetProperty("privacy").GetProperty("epsilonLeft").GetDouble(), 9);
        Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        Assert.Contains("but analyst 'c1/alice' has ε=0.1 of 0.5 left", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0.3, bobs.GetProperty("privacy").GetProperty("epsilonLeft").GetDouble(), 9);
        Assert.Equal(0, unnamedBudget.GetProperty("epsilonSpent").GetDouble(), 9);
        Assert.Equal(0.4, aliceBudget.GetProperty("epsilonSpent").GetDouble(), 9);
        Assert.Equal(2e-6, aliceBudget.GetProperty("deltaSpent").GetDouble(), 15);
    }

    [Fact]
    public async Task GaussianCell_RecordsDelta_AndRefusesAnEpsilonWithoutCalibration()
    {
        var analyst = await _w.Key("c1", "alliance-analyst");

        var answer = await _w.GetJsonAsync(analyst, AllianceWorld.Benchmark());
        var tooLarge = await analyst.GetAsync(AllianceWorld.Benchmark(extra: "&epsilon=1"));

        var privacy = answer.GetProperty("privacy");
        Assert.Equal("gaussian", privacy.GetProperty("mechanism").GetString());
        Assert.Equal(1e-6, privacy.GetProperty("deltaPerCell").GetDouble(), 15);
        Assert.Equal(1e-6, privacy.GetProperty("deltaSpent").GetDouble(), 15);
        Assert.True(answer.GetProperty("cells")[0].GetProperty("published").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("query 'epsilon' 1 must be below 1 for the Gaussian mechanism", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllianceOrKey_WithABadSetting_IsRefusedNamingIt()
    {
        var gaussianAtOne = await _w.Hub.Admin.PostAsJsonAsync("/api/v1/admin/alliances",
            new { id = "g1", name = "G", differentialPrivacy = true, mechanism = "gaussian", epsilonBudget = 5.0, epsilonPerQuery = 1.0 });
        var badOwner = await _w.Hub.Admin.PostAsJsonAsync("/api/v1/admin/companies/c1/users", new { name = "x", role = "alliance-analyst", owner = "Alice Smith" });

        Assert.Equal(HttpStatusCode.BadRequest, gaussianAtOne.StatusCode);
        Assert.Equal("alliance 'g1': epsilonPerQuery 1 must be below 1 for the Gaussian mechanism: its classic calibration σ = sqrt(2 ln(1.25/δ))/ε holds only for ε < 1.",
            JsonDocument.Parse(await gaussianAtOne.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badOwner.StatusCode);
        Assert.Contains("owner id 'Alice Smith' is not a valid id", await badOwner.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
