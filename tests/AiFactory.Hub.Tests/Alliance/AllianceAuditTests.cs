using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Every policy change (who, when, old, new) and every alliance query is in the audit log, which cannot be changed.</summary>
[Trait("Category", "Integration")]
public sealed class AllianceAuditTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync() => _w = await AllianceWorld.StartAsync();

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task PolicyChangesAndQueries_AreAudited_WithWhoOldAndNew()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _w.AddCompanyAsync("acme", AllianceWorld.Day1, ("l1", "pumps", 100, 90, 10));
        var admin = await _w.Key("acme", "company-admin");
        var adminKeyId = (await _w.Hub.Services.GetRequiredService<HubDatabase>().OpenAsync(CancellationToken.None)
            .ContinueWith(t => t.Result.ExecuteScalarAsync<string>("SELECT id FROM api_keys WHERE company_id = 'acme' AND role = 'company-admin'")).Unwrap())!;
        await _w.ShareAsync("acme");
        await _w.ShareAsync("acme", level: "named", named: ["globex"]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/alliances/ev/companies/acme/policies/first-pass-yield")).StatusCode);
        await _w.ShareAsync("acme", metric: "throughput", line: "l1");
        var analyst = await _w.Key("acme", "alliance-analyst");
        var query = await _w.GetJsonAsync(analyst, AllianceWorld.Benchmark());

        var entries = (await _w.GetJsonAsync(admin, $"/api/v1/alliances/ev/companies/acme/audit?from={Uri.EscapeDataString(started.ToString("O"))}"))
            .EnumerateArray().Reverse().Where(e => e.GetProperty("action").GetString()!.StartsWith("policy.", StringComparison.Ordinal) || e.GetProperty("action").GetString() == "alliance.benchmark").ToList();

        var who = $"key {adminKeyId} (company-admin)";
        Assert.Equal(
            [
                ("policy.set", who, "ev/acme/policies/first-pass-yield"),
                ("policy.set", who, "ev/acme/policies/first-pass-yield"),
                ("policy.revoke", who, "ev/acme/policies/first-pass-yield"),
                ("policy.set", who, "ev/acme/policies/throughput/p1/l1"),
                ("alliance.benchmark", entries[^1].GetProperty("who").GetString()!, "ev/welding/first-pass-yield"),
            ],
            entries.Select(e => (e.GetProperty("action").GetString()!, e.GetProperty("who").GetString()!, e.GetProperty("target").GetString()!)).ToArray());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("oldValue").ValueKind);
        Assert.Contains("\"level\":\"alliance-aggregate\"", entries[0].GetProperty("newValue").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"level\":\"alliance-aggregate\"", entries[1].GetProperty("oldValue").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"level\":\"named\",\"namedCompanies\":[\"globex\"]", entries[1].GetProperty("newValue").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"level\":\"named\"", entries[2].GetProperty("oldValue").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("newValue").ValueKind);
        Assert.Contains($"\"queryId\":\"{query.GetProperty("queryId").GetString()}\"", entries[4].GetProperty("newValue").GetString(), StringComparison.Ordinal);
        Assert.All(entries, e => Assert.InRange(e.GetProperty("timeUtc").GetDateTimeOffset(), started, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task AuditLog_RefusesUpdateAndDelete()
    {
        await _w.AddCompanyAsync("acme", AllianceWorld.Day1, ("l1", "pumps", 100, 90, 10));
        await using var c = await _w.Hub.Services.GetRequiredService<HubDatabase>().OpenAsync(CancellationToken.None);

        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE audit_log SET who = 'nobody'"));
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("DELETE FROM audit_log"));

        Assert.Contains("audit_log is append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("audit_log is append-only", delete.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPolicies_AreRefused_NamingTheField()
    {
        await _w.AddCompanyAsync("acme", AllianceWorld.Day1, ("l1", "pumps", 100, 90, 10));
        var admin = await _w.Key("acme", "company-admin");
        var expires = AllianceWorld.Expiry;
        (object Body, string Metric, string Message)[] cases =
        [
            (new { level = "public", purposes = new[] { "benchmarking" }, expires }, "first-pass-yield", "level 'public' is not a sharing level; use private, alliance-aggregate or named."),
            (new { level = "named", purposes = new[] { "benchmarking" }, expires }, "first-pass-yield", "level 'named' needs at least one company in 'namedCompanies'."),
            (new { level = "alliance-aggregate", purposes = new[] { "marketing" }, expires }, "first-pass-yield", "purposes [marketing] must name at least one of benchmarking, model-development."),
            (new { level = "alliance-aggregate", purposes = new[] { "benchmarking" } }, "first-pass-yield", "expires is missing: every policy has an expiry (ISO 8601 time)."),
            (new { level = "alliance-aggregate", purposes = new[] { "benchmarking" }, expires }, "yield", "path metric 'yield' is not a metric family; use one of first-pass-yield, defect-rate, anomaly-rate, throughput, model-latency, drift."),
            (new { line = "l1", level = "alliance-aggregate", purposes = new[] { "benchmarking" }, expires }, "throughput", "line needs its plant: give 'plant' with 'line'."),
        ];

        foreach (var (body, metric, message) in cases)
        {
            var response = await admin.PutAsJsonAsync($"/api/v1/alliances/ev/companies/acme/policies/{metric}", body);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var ghost = await admin.PutAsJsonAsync("/api/v1/alliances/ev/companies/acme/policies/throughput", new { plant = "p1", line = "ghost", level = "private", purposes = new[] { "benchmarking" }, expires });
        Assert.Equal(HttpStatusCode.NotFound, ghost.StatusCode);
        Assert.Contains("line 'ghost' in plant 'p1' does not exist in company 'acme'.", await ghost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
