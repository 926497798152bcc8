using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Benchmarks over companies with their own policies: suppression, dominance, differencing, revocation, pseudonyms.</summary>
[Trait("Category", "Integration")]
public sealed class BenchmarkTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync() => _w = await AllianceWorld.StartAsync();

    public async Task DisposeAsync() => await _w.DisposeAsync();

    private async Task CompaniesAsync(int count, long frames = 100, int first = 1)
    {
        for (var i = first; i < first + count; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", frames, frames - i, i));
        }
    }

    private async Task<JsonElement> AnalystAsync(string path, string company = "c1") => await _w.GetJsonAsync(await _w.Key(company, "alliance-analyst"), path);

    [Fact]
    public async Task SmallCohort_IsSuppressed_UntilAFifthCompanyShares()
    {
        await CompaniesAsync(6);
        foreach (var c in new[] { "c1", "c2", "c3", "c4" })
        {
            await _w.ShareAsync(c);
        }

        await _w.RollAsync();

        var four = (await AnalystAsync(AllianceWorld.Benchmark()))!.GetProperty("cells")[0];
        await _w.ShareAsync("c5");
        var five = (await AnalystAsync(AllianceWorld.Benchmark()))!.GetProperty("cells")[0];

        Assert.False(four.GetProperty("published").GetBoolean());
        Assert.Equal("fewer than 5 companies", four.GetProperty("suppressed").GetString());
        Assert.Equal(JsonValueKind.Null, four.GetProperty("percentiles").ValueKind);
        Assert.True(five.GetProperty("published").GetBoolean());
        Assert.Equal(5, five.GetProperty("companies").GetInt64());
        // c1..c5 pass 99, 98, 97, 96, 95 of 100: the median is c3's 0.97, p10 interpolates between 0.95 and 0.96.
        Assert.Equal(0.97, five.GetProperty("percentiles").GetProperty("p50").GetDouble(), 12);
        Assert.Equal(0.954, five.GetProperty("percentiles").GetProperty("p10").GetDouble(), 12);
        var pseudonyms = five.GetProperty("contributors").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(5, pseudonyms.Distinct().Count());
        Assert.All(pseudonyms, p => Assert.Matches("^peer-[0-9a-f]{10}$", p));
        Assert.DoesNotContain("\"c", five.GetRawText().Replace("\"contributors\"", string.Empty, StringComparison.Ordinal).Replace("\"companies\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pseudonyms_ChangeFromQueryToQuery()
    {
        await CompaniesAsync(5);
        foreach (var c in new[] { "c1", "c2", "c3", "c4", "c5" })
        {
            await _w.ShareAsync(c);
        }

        await _w.RollAsync();

        var a = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0].GetProperty("contributors").EnumerateArray().Select(p => p.GetString()).ToList();
        var b = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0].GetProperty("contributors").EnumerateArray().Select(p => p.GetString()).ToList();

        Assert.Equal(5, a.Count);
        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public async Task DominantContributor_IsSuppressed()
    {
        await CompaniesAsync(5);
        await _w.AddCompanyAsync("big", AllianceWorld.Day1, ("l1", "pumps", 10_000, 9_000, 1_000));
        foreach (var c in new[] { "c1", "c2", "c3", "c4", "c5", "big" })
        {
            await _w.ShareAsync(c);
        }

        await _w.RollAsync();

        var cell = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0];

        Assert.False(cell.GetProperty("published").GetBoolean());
        Assert.Equal("one company holds more than 25 % of the cell's weight", cell.GetProperty("suppressed").GetString());
    }

    [Fact]
    public async Task SameQueryWithoutOneCompany_AfterItRevokes_IsSuppressed_AndRevocationHoldsAtTheNextQuery()
    {
        await CompaniesAsync(6);
        foreach (var c in new[] { "c1", "c2", "c3", "c4", "c5", "c6" })
        {
            await _w.ShareAsync(c);
        }

        await _w.RollAsync();
        var with = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0];
        var c6Admin = await _w.Key("c6", "company-admin");
        Assert.Equal(HttpStatusCode.NoContent, (await c6Admin.DeleteAsync($"/api/v1/alliances/ev/companies/c6/policies/first-pass-yield")).StatusCode);

        var without = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0];
        var otherAnalyst = (await AnalystAsync(AllianceWorld.Benchmark(), "c3")).GetProperty("cells")[0];

        Assert.Equal(6, with.GetProperty("companies").GetInt64());
        Assert.False(without.GetProperty("published").GetBoolean());
        Assert.Equal("its companies differ from an earlier released cell by fewer than the alliance's minimum", without.GetProperty("suppressed").GetString());
        Assert.False(otherAnalyst.GetProperty("published").GetBoolean());
        var audit = await _w.GetJsonAsync(_w.Hub.Admin, "/api/v1/admin/audit?from=2026-01-01T00:00:00Z");
        var last = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "alliance.benchmark");
        Assert.Contains("\"companies\":[\"c1\",\"c2\",\"c3\",\"c4\",\"c5\"]", last.GetProperty("newValue").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverlappingPeriods_ThatAddOneCompany_RevealNothing()
    {
        await CompaniesAsync(6);
        await _w.AddCompanyAsync("late", AllianceWorld.Day1.AddDays(1), ("l1", "pumps", 100, 50, 50));
        foreach (var c in new[] { "c1", "c2", "c3", "c4", "c5", "c6", "late" })
        {
            await _w.ShareAsync(c);
        }

        await _w.RollAsync();

        var first = (await AnalystAsync(AllianceWorld.Benchmark(days: 1))).GetProperty("cells")[0];
        var both = (await AnalystAsync(AllianceWorld.Benchmark(days: 2))).GetProperty("cells")[0];
        var second = (await AnalystAsync(AllianceWorld.Benchmark(days: 1).Replace("2026-11-22&to=2026-11-23", "2026-11-23&to=2026-11-24", StringComparison.Ordinal))).GetProperty("cells")[0];

        Assert.True(first.GetProperty("published").GetBoolean());
        Assert.False(both.GetProperty("published").GetBoolean());
        Assert.Equal("its companies differ from an earlier released cell by fewer than the alliance's minimum", both.GetProperty("suppressed").GetString());
        Assert.Equal("fewer than 5 companies", second.GetProperty("suppressed").GetString());
    }

    [Fact]
    public async Task SmallFamily_IsSuppressed_WithItsSmallestSibling_WhileTheTotalIsPublished()
    {
        for (var i = 1; i <= 6; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 90, 10));
        }

        for (var i = 7; i <= 12; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "valves", 100, 80, 20));
        }

        await _w.AddCompanyAsync("c13", AllianceWorld.Day1, ("l1", "fans", 100, 70, 30));
        for (var i = 1; i <= 13; i++)
        {
            await _w.ShareAsync($"c{i}");
        }

        await _w.RollAsync();

        var cells = (await AnalystAsync(AllianceWorld.Benchmark(extra: "&by=family"))).GetProperty("cells").EnumerateArray()
            .Select(c => (c.GetProperty("productFamily").GetString(), c.GetProperty("published").GetBoolean(), c.GetProperty("suppressed").GetString())).ToArray();

        Assert.Equal(
            [
                (null, true, null),
                ("fans", false, "fewer than 5 companies"),
                ("pumps", false, "suppressed so that another suppressed cell cannot be recovered from the total"),
                ("valves", true, null),
            ],
            cells);
    }

    [Fact]
    public async Task NamedSharing_CountsOnlyForTheNamedCompanysAnalysts()
    {
        await CompaniesAsync(6);
        foreach (var c in new[] { "c1", "c2", "c3", "c4" })
        {
            await _w.ShareAsync(c);
        }

        await _w.ShareAsync("c5", level: "named", named: ["c1"]);
        await _w.RollAsync();

        var forC1 = (await AnalystAsync(AllianceWorld.Benchmark(), "c1")).GetProperty("cells")[0];
        var forC2 = (await AnalystAsync(AllianceWorld.Benchmark(), "c2")).GetProperty("cells")[0];

        Assert.Equal(5, forC1.GetProperty("companies").GetInt64());
        Assert.Equal("fewer than 5 companies", forC2.GetProperty("suppressed").GetString());
    }

    [Fact]
    public async Task ExpiredOrOtherPurposePolicies_ShareNothing()
    {
        await CompaniesAsync(5);
        foreach (var c in new[] { "c1", "c2", "c3", "c4" })
        {
            await _w.ShareAsync(c);
        }

        var admin = await _w.Key("c5", "company-admin");
        var modelOnly = await admin.PutAsJsonAsync("/api/v1/alliances/ev/companies/c5/policies/first-pass-yield",
            new { level = "alliance-aggregate", purposes = new[] { "model-development" }, expires = AllianceWorld.Expiry });
        var past = await admin.PutAsJsonAsync("/api/v1/alliances/ev/companies/c5/policies/first-pass-yield",
            new { level = "alliance-aggregate", purposes = new[] { "benchmarking" }, expires = DateTimeOffset.UtcNow.AddMinutes(-1) });
        await _w.RollAsync();

        var cell = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0];
        await _w.ShareAsync("c5");
        var shared = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0];
        await using (var c = await _w.Hub.Services.GetRequiredService<HubDatabase>().OpenAsync(CancellationToken.None))
        {
            // The policy runs out (as time would make it): the next query goes without c5.
            await c.ExecuteAsync("UPDATE sharing_policies SET expires_utc = @past WHERE company_id = 'c5'", new { past = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds() });
        }

        var expired = (await AnalystAsync(AllianceWorld.Benchmark())).GetProperty("cells")[0];

        Assert.Equal(5, shared.GetProperty("companies").GetInt64());
        Assert.Equal("fewer than 5 companies", expired.GetProperty("suppressed").GetString());
        Assert.Equal(HttpStatusCode.OK, modelOnly.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("is not in the future", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("fewer than 5 companies", cell.GetProperty("suppressed").GetString());
    }

    [Fact]
    public async Task OnlyAnalystsAndHubAdmins_QueryBenchmarks()
    {
        await CompaniesAsync(1);
        var engineer = await _w.Key("c1", "plant-engineer");

        var refused = await engineer.GetAsync(AllianceWorld.Benchmark());
        var admin = await _w.Hub.Admin.GetAsync(AllianceWorld.Benchmark());

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("role 'plant-engineer' may not query alliance benchmarks; an alliance-analyst key is needed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}
