using System.Net;
using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>"Where do we stand?": a company's own KPIs against the alliance's published cells, as JSON and as an HTML report.</summary>
[Trait("Category", "Integration")]
public sealed class StandingTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await AllianceWorld.StartAsync();
        for (var i = 1; i <= 6; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 100 - i, i));
            await _w.ShareAsync($"c{i}");
        }

        await _w.AddCompanyAsync("me", AllianceWorld.Day1, ("l1", "pumps", 200, 180, 20), ("l2", "valves", 200, 200, 0));
        await _w.RollAsync();
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    private const string Path = "/api/v1/alliances/ev/companies/me/standing?process=welding&from=2026-11-22&to=2026-11-23";

    [Fact]
    public async Task OwnValues_AllLines_BesideTheSharedDistribution_PrivateMetricsSuppressed()
    {
        var standing = await _w.GetJsonAsync(await _w.Key("me", "plant-engineer"), Path);

        var metrics = standing.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("metric").GetString()!);
        Assert.Equal(["first-pass-yield", "defect-rate", "anomaly-rate", "throughput", "model-latency", "drift"], metrics.Keys);
        var fpy = metrics["first-pass-yield"];
        Assert.Equal(380.0 / 400, fpy.GetProperty("own").GetDouble(), 12);
        Assert.Equal(6, fpy.GetProperty("alliance").GetProperty("companies").GetInt64());
        Assert.Equal(0.965, fpy.GetProperty("alliance").GetProperty("percentiles").GetProperty("p50").GetDouble(), 12);
        Assert.Equal(20.0 / 400, metrics["defect-rate"].GetProperty("own").GetDouble(), 12);
        Assert.Equal(400.0 / (2 * 24), metrics["throughput"].GetProperty("own").GetDouble(), 12);
        Assert.Equal("fewer than 5 companies", metrics["throughput"].GetProperty("alliance").GetProperty("suppressed").GetString());
    }

    [Fact]
    public async Task DashboardSession_OpensTheReport_AnotherCompanysSessionGetsNotFound_AndNoSessionIsSentToSignIn()
    {
        const string Page = "/ui/alliances/ev/companies/me/standing?process=welding&from=2026-11-22&to=2026-11-23";
        using var me = new DashboardSessionClient(_w.Hub.Address);
        using var other = new DashboardSessionClient(_w.Hub.Address);
        using var nobody = new DashboardSessionClient(_w.Hub.Address);
        (await me.SignInAsync((await _w.Hub.UserAsync("me", "plant-engineer")).Key)).Dispose();
        (await other.SignInAsync((await _w.Hub.UserAsync("c1", "company-admin")).Key)).Dispose();

        using var page = await me.GetAsync(Page);
        var html = await page.Content.ReadAsStringAsync();
        using var foreign = await other.GetAsync(Page);
        using var anonymous = await nobody.GetAsync(Page);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>you: 0.95</title>", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("<svg ").Length - 1);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("you: 0.95", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, "/ui/signin"), (anonymous.StatusCode, anonymous.Headers.Location?.AbsolutePath));
    }

    [Fact]
    public async Task Report_IsOnePrintableHtmlPage_WithAnSvgPerPublishedMetric()
    {
        var response = await (await _w.Key("me", "company-admin")).GetAsync(Path.Replace("/standing?", "/standing/report?", StringComparison.Ordinal));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("<svg ").Length - 1);
        Assert.Contains("<tr><td>first-pass-yield</td><td>0.95</td><td>0.945</td><td>0.9525</td><td>0.965</td><td>0.9775</td><td>0.985</td><td>6</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td colspan=\"6\">not published: fewer than 5 companies</td>", html, StringComparison.Ordinal);
        Assert.Contains("<title>you: 0.95</title>", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("c1", html, StringComparison.Ordinal);
    }
}
