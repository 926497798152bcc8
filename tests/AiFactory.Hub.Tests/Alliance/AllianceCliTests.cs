using AiFactory.Hub.Cli;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary><c>aifactory-hub alliance …</c> against a SQLite file: what it prints, its exit codes, what it writes and audits.</summary>
[Trait("Category", "Integration")]
public sealed class AllianceCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-alliance-cli-").FullName;

    private string Connection => $"Data Source={Path.Combine(_dir, "hub.db")}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await HubCli.RunAsync([.. args, "--provider", "Sqlite", "--connection", Connection], output);
        return (code, output.ToString().Trim());
    }

    [Fact]
    public async Task ProcessTypeAllianceMemberTagAndRollup_WriteAndAudit()
    {
        Assert.Equal(0, (await RunAsync("admin", "company", "--id", "acme")).Code);
        Assert.Equal(0, (await RunAsync("admin", "plant", "--company", "acme", "--id", "p1")).Code);
        Assert.Equal(0, (await RunAsync("admin", "line", "--company", "acme", "--plant", "p1", "--id", "l1")).Code);

        Assert.Equal((0, "created process type 'welding'"), await RunAsync("alliance", "process-type", "--id", "welding", "--name", "Spot welding"));
        Assert.Equal((0, "created alliance 'ev' (k 7, max share 0.2, differential privacy laplace)"),
            await RunAsync("alliance", "create", "--id", "ev", "--min-companies", "7", "--max-share", "0.2", "--differential-privacy"));
        Assert.Equal((0, "added company 'acme' to alliance 'ev'"), await RunAsync("alliance", "member", "--alliance", "ev", "--company", "acme"));
        Assert.Equal((0, "tagged line 'acme/p1/l1' as 'welding', family 'doors'"),
            await RunAsync("alliance", "tag-line", "--company", "acme", "--plant", "p1", "--line", "l1", "--process-type", "welding", "--product-family", "doors"));
        Assert.Equal((0, "rolled up 0 line-day rows from 2026-11-01 to 2026-12-01"), await RunAsync("alliance", "rollup", "--from", "2026-11-01", "--to", "2026-12-01"));

        using var db = new HubDatabase(DatabaseProvider.Sqlite, Connection);
        await using var c = await db.OpenAsync(CancellationToken.None);
        Assert.Equal(("ev", 7L, 0.2, 1L), await c.QuerySingleAsync<(string, long, double, long)>("SELECT id, min_companies, max_share, dp_enabled FROM alliances"));
        Assert.Equal(["process-type.create", "alliance.create", "alliance.member.add", "line.process"],
            (await c.QueryAsync<string>("SELECT action FROM audit_log WHERE via = 'cli' AND action NOT IN ('company.create', 'plant.create', 'line.create') ORDER BY time_utc, id")).ToArray());
    }

    [Fact]
    public async Task PolicyAndStandingReport_FromTheCommandLine()
    {
        Assert.Equal(0, (await RunAsync("admin", "company", "--id", "acme")).Code);
        Assert.Equal(0, (await RunAsync("admin", "plant", "--company", "acme", "--id", "p1")).Code);
        Assert.Equal(0, (await RunAsync("alliance", "process-type", "--id", "welding")).Code);
        Assert.Equal(0, (await RunAsync("alliance", "create", "--id", "ev")).Code);
        Assert.Equal(0, (await RunAsync("alliance", "member", "--alliance", "ev", "--company", "acme")).Code);
        var report = Path.Combine(_dir, "standing.html");

        var set = await RunAsync("alliance", "policy", "--alliance", "ev", "--company", "acme", "--metric", "throughput", "--level", "alliance-aggregate",
            "--purpose", "benchmarking", "--expires", "2030-01-01T00:00:00Z");
        var badLevel = await RunAsync("alliance", "policy", "--alliance", "ev", "--company", "acme", "--metric", "throughput", "--level", "public",
            "--purpose", "benchmarking", "--expires", "2030-01-01T00:00:00Z");
        var revoked = await RunAsync("alliance", "policy", "--alliance", "ev", "--company", "acme", "--metric", "throughput", "--revoke");
        var again = await RunAsync("alliance", "policy", "--alliance", "ev", "--company", "acme", "--metric", "throughput", "--revoke");
        var standing = await RunAsync("alliance", "standing", "--alliance", "ev", "--company", "acme", "--process-type", "welding",
            "--from", "2026-11-01", "--to", "2026-12-01", "--html", report);

        Assert.Equal((0, "company 'acme' shares 'throughput' at level 'alliance-aggregate' in alliance 'ev' for benchmarking until 2030-01-01T00:00:00.0000000+00:00"), set);
        Assert.Equal((2, "error: level 'public' is not a sharing level; use private, alliance-aggregate or named."), badLevel);
        Assert.Equal((0, "revoked the 'throughput' policy of company 'acme' in alliance 'ev'"), revoked);
        Assert.Equal((2, "error: company 'acme' has no 'throughput' policy in alliance 'ev' for the whole company."), again);
        Assert.Equal((0, $"wrote the standing of 'acme' in 'welding' (0 of 6 metrics published) to {report}"), standing);
        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(report), StringComparison.Ordinal);
        using var db = new HubDatabase(DatabaseProvider.Sqlite, Connection);
        await using var c = await db.OpenAsync(CancellationToken.None);
        Assert.Equal(6L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE via = 'cli' AND action = 'alliance.benchmark'"));
    }

    [Fact]
    public async Task BadSettings_AndUnknownNames_ExitWithAMessage()
    {
        Assert.Equal((2, "error: alliance 'ev': maxShare 1.5 must be above 0 and at most 1."), await RunAsync("alliance", "create", "--id", "ev", "--max-share", "1.5"));
        Assert.Equal((2, "error: alliance 'nope' does not exist."), await RunAsync("alliance", "member", "--alliance", "nope", "--company", "acme"));
        Assert.Equal(0, (await RunAsync("alliance", "process-type", "--id", "welding")).Code);
        Assert.Equal((3, "error: process type 'welding' already exists."), await RunAsync("alliance", "process-type", "--id", "welding"));
        Assert.Equal(2, (await RunAsync("alliance", "process-type", "--id", "Bad Id")).Code);
    }
}
