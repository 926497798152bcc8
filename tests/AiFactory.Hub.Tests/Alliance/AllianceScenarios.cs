using System.Net;
using AiFactory.Hub.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Scenarios run on SQLite and on PostgreSQL (their row locks, conflict clauses and append-only triggers differ).</summary>
internal static class AllianceScenarios
{
    /// <summary>Many queries at once against one analyst's budget: exactly as many are answered as the budget pays for.</summary>
    public static async Task ConcurrentQueries_SpendExactlyTheBudget(bool postgres)
    {
        await using var w = await AllianceWorld.StartAsync(new { id = AllianceWorld.Alliance, name = "EV", differentialPrivacy = true, epsilonBudget = 1.0, epsilonPerQuery = 0.1 }, postgres: postgres);
        for (var i = 1; i <= 5; i++)
        {
            await w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 100 - i, i));
            await w.ShareAsync($"c{i}");
        }

        await w.RollAsync();
        var analyst = await w.Key("c1", "alliance-analyst");

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => analyst.GetAsync(AllianceWorld.Benchmark())));

        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.Forbidden));
        var budget = await w.GetJsonAsync(analyst, "/api/v1/alliances/ev/budget");
        Assert.Equal(1.0, budget.GetProperty("epsilonSpent").GetDouble(), 9);
        Assert.Equal(0.0, budget.GetProperty("epsilonLeft").GetDouble(), 9);
    }

    /// <summary>Released cells, revocation at the next query and the append-only audit log.</summary>
    public static async Task RevocationAndDifferencing_AndAppendOnlyAudit(bool postgres)
    {
        await using var w = await AllianceWorld.StartAsync(postgres: postgres);
        for (var i = 1; i <= 6; i++)
        {
            await w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 100 - i, i));
            await w.ShareAsync($"c{i}");
        }

        await w.RollAsync();
        var analyst = await w.Key("c1", "alliance-analyst");
        var first = (await w.GetJsonAsync(analyst, AllianceWorld.Benchmark())).GetProperty("cells")[0];
        var again = (await w.GetJsonAsync(analyst, AllianceWorld.Benchmark())).GetProperty("cells")[0];
        await (await w.Key("c6", "company-admin")).DeleteAsync("/api/v1/alliances/ev/companies/c6/policies/first-pass-yield");
        var without = (await w.GetJsonAsync(analyst, AllianceWorld.Benchmark())).GetProperty("cells")[0];
        await using var c = await w.Hub.Services.GetRequiredService<HubDatabase>().OpenAsync(CancellationToken.None);
        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE audit_log SET who = 'nobody'"));

        Assert.Equal(6, first.GetProperty("companies").GetInt64());
        Assert.Equal(6, again.GetProperty("companies").GetInt64());
        Assert.False(without.GetProperty("published").GetBoolean());
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alliance_releases"));
        Assert.Contains("audit_log is append-only", update.Message, StringComparison.Ordinal);
    }
}
