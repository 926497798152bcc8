using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Microsoft.Extensions.DependencyInjection;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>The dashboard's session cookie, its forms' antiforgery, and company scope, over plain HTTP.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardSessionTests
{
    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictSessionCookie_ThatOpensTheCompanysPages()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var browser = new DashboardSessionClient(hub.Address);

        using var signedIn = await browser.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key);

        Assert.Equal((HttpStatusCode.Redirect, "/ui"), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("aif-dashboard=", StringComparison.Ordinal));
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        using var home = await browser.GetAsync("/ui");
        Assert.Equal((HttpStatusCode.Redirect, "/ui/companies/acme"), (home.StatusCode, home.Headers.Location?.AbsolutePath));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/ui/companies/acme/plants/p1/lines/l1/history")).StatusCode);

        // A live page may not be framed by another origin (clickjacking), compression of its circuit or not.
        using var line = await browser.GetAsync("/ui/companies/acme/plants/p1/lines/l1");
        Assert.Equal(HttpStatusCode.OK, line.StatusCode);
        Assert.Contains("frame-ancestors 'self'", string.Join(";", line.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task BadSessionCookie_SendsToSignIn(string value)
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var browser = new DashboardSessionClient(hub.Address);
        browser.Cookies.Add(hub.Address, new Cookie("aif-dashboard", value));

        using var page = await browser.GetAsync("/ui/companies/acme");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/ui/signin?ReturnUrl=%2Fui%2Fcompanies%2Facme", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task SessionPastItsLifetime_OrOfARevokedKey_SendsToSignIn()
    {
        var clock = new FakeTimeProvider();
        await using var hub = await HubHarness.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock), extra: ["--Hub:Dashboard:SessionLifetime=00:10:00"]);
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var expiring = new DashboardSessionClient(hub.Address);
        using var revoked = new DashboardSessionClient(hub.Address);
        var engineer = await hub.UserAsync("acme", "plant-engineer");
        await expiring.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key);
        await revoked.SignInAsync(engineer.Key);
        const string Page = "/ui/companies/acme/plants/p1/lines/l1/history";

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await expiring.GetAsync(Page)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        (await hub.Admin.PostAsync($"/api/v1/admin/keys/{engineer.KeyId}/revoke", null)).EnsureSuccessStatusCode();

        foreach (var session in new[] { expiring, revoked })
        {
            using var page = await session.GetAsync(Page);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/ui/signin?ReturnUrl=", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignIn_WithABadKeyOrAnEdgeKey_IsRefusedWithAMessage()
    {
        await using var hub = await HubHarness.StartAsync();
        var edgeKey = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var browser = new DashboardSessionClient(hub.Address);

        foreach (var (key, error) in new[] { ("not-a-key", "malformed"), ("aif_nosuchkey_secret", "unknown"), (edgeKey, "edge") })
        {
            using var refused = await browser.SignInAsync(key);
            Assert.Equal($"/ui/signin?error={error}", refused.Headers.Location?.OriginalString);
        }

        var html = await (await browser.GetAsync("/ui/signin?error=edge")).Content.ReadAsStringAsync();
        Assert.Contains("An edge key cannot sign in to the dashboard.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(hub.Address), c => c.Name == "aif-dashboard");
    }

    [Fact]
    public async Task FormsWithoutTheAntiforgeryToken_AreRefused()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        var engineer = (await hub.UserAsync("acme", "plant-engineer")).Key;
        using var browser = new DashboardSessionClient(hub.Address);
        await browser.SignInAsync(engineer);

        using var signIn = await browser.PostFormAsync("/ui/forms/signin", [new("key", engineer)]);
        using var ack = await browser.PostFormAsync("/ui/forms/companies/acme/alarms/a1/ack", [new("comment", "forged")]);
        using var rule = await browser.PostFormAsync("/ui/forms/companies/acme/alarm-rules", [new("scope", "p1/l1"), new("kind", "edge-offline"), new("threshold", "0")]);

        foreach (var refused in new[] { signIn, ack, rule })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            Assert.Equal(
                $"form {refused.RequestMessage!.RequestUri!.AbsolutePath} was refused: The required antiforgery request token was not provided in either form field "
                + "\"__RequestVerificationToken\" or header value \"RequestVerificationToken\". Reload the page and send it again.",
                detail);
        }

        using var stranger = new DashboardSessionClient(hub.Address);
        using var noCookie = await stranger.PostFormAsync("/ui/forms/signin", [new("key", engineer), new("__RequestVerificationToken", await browser.TokenAsync("/ui/signin"))]);
        Assert.Equal(HttpStatusCode.BadRequest, noCookie.StatusCode);
        Assert.StartsWith(
            "form /ui/forms/signin was refused: The required antiforgery cookie \".AspNetCore.Antiforgery.",
            (await noCookie.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Empty(await hub.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/companies/acme/alarm-rules") ?? []);
    }

    [Fact]
    public async Task AlarmRuleForm_WithBadValues_ComesBackNamingTheField()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var browser = new DashboardSessionClient(hub.Address);
        await browser.SignInAsync((await hub.UserAsync("acme", "company-admin")).Key);
        var token = await browser.TokenAsync("/ui/signin");

        foreach (var (threshold, detail) in new[]
        {
            ("abc", "alarm rule field 'threshold' 'abc' is not a number."),
            ("2", "alarm rule field 'threshold' 2 is out of range for a anomaly-rate rule: expected a fraction from 0 to 1."),
        })
        {
            using var response = await browser.PostFormAsync(
                "/ui/forms/companies/acme/alarm-rules", [new("scope", "p1/l1/s1"), new("kind", "anomaly-rate"), new("threshold", threshold), new("__RequestVerificationToken", token)]);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/ui/companies/acme/alarms?error={Uri.EscapeDataString(detail)}", response.Headers.Location?.OriginalString);
        }

        Assert.Empty(await hub.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/companies/acme/alarm-rules") ?? []);
    }

    [Fact]
    public async Task HistoryCsv_HasTheLinesMinutes_AndIsNotFoundForAnotherCompany()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        await hub.SetupPlantAsync("other", "p9", "e9", ("l9", "s9"));
        var minute = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", minute, 10, 8, 2, anomalies: 1, latencyMs: 3)])))).EnsureSuccessStatusCode();
        using var ours = new DashboardSessionClient(hub.Address);
        using var theirs = new DashboardSessionClient(hub.Address);
        await ours.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key);
        await theirs.SignInAsync((await hub.UserAsync("other", "company-admin")).Key);
        const string Csv = "/ui/companies/acme/plants/p1/lines/l1/history.csv?range=1h";

        using var csv = await ours.GetAsync(Csv);
        using var refused = await theirs.GetAsync(Csv);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start_utc,start_local,frames,pass,fail,anomalies,first_pass_yield,latency_p99_ms", lines[0]);
        Assert.Equal($"{minute.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{minute.UtcDateTime:yyyy-MM-ddTHH:mm:ss}+00:00,10,8,2,1,0.8,", lines[1][..^lines[1].Split(',')[^1].Length]);
        Assert.Equal(2, lines.Length);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("company 'acme' does not exist.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SessionOfASeoulBrowser_ShowsSeoulTimes_ReadsTypedTimesInSeoul_AndExportsTheirOffset()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        var minute = new DateTimeOffset(2026, 12, 6, 17, 5, 0, TimeSpan.Zero); // 02:05 on the 7th in Seoul
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", minute, 10, 8, 2)])))).EnsureSuccessStatusCode();
        using var browser = new DashboardSessionClient(hub.Address);
        await browser.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key, "Asia/Seoul");
        const string Range = "range=custom&from=2026-12-07T02:00&to=2026-12-07T03:00";

        var html = WebUtility.HtmlDecode(await (await browser.GetAsync($"/ui/companies/acme/plants/p1/lines/l1/history?{Range}")).Content.ReadAsStringAsync());
        var csv = (await (await browser.GetAsync($"/ui/companies/acme/plants/p1/lines/l1/history.csv?{Range}")).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var en = System.Globalization.CultureInfo.GetCultureInfo("en");
        Assert.Contains("Times in Asia/Seoul (UTC+09:00)", html, StringComparison.Ordinal);
        Assert.Contains($"{new DateTime(2026, 12, 7, 2, 0, 0).ToString("G", en)} (UTC+09:00) – {new DateTime(2026, 12, 7, 3, 0, 0).ToString("G", en)} (UTC+09:00)", html, StringComparison.Ordinal);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("2026-12-06T17:05:00Z,2026-12-07T02:05:00+09:00,10,8,2,", csv[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAnUnknownTimeZone_IsRefusedWithAMessage()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var browser = new DashboardSessionClient(hub.Address);

        using var refused = await browser.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key, "Mars/Olympus_Mons");

        Assert.Equal("/ui/signin?error=timezone", refused.Headers.Location?.OriginalString);
        var html = WebUtility.HtmlDecode(await (await browser.GetAsync("/ui/signin?error=timezone")).Content.ReadAsStringAsync());
        Assert.Contains("Your browser sent a time zone this hub does not know; sign in again.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(hub.Address), c => c.Name == "aif-dashboard");
    }

    [Fact]
    public async Task EveryFileOfThePage_ComesFromTheHub()
    {
        await using var hub = await HubHarness.StartAsync();
        using var browser = new DashboardSessionClient(hub.Address);

        var html = await (await browser.GetAsync("/ui/signin")).Content.ReadAsStringAsync();

        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        foreach (var (path, type) in new[] { ("/_content/MudBlazor/MudBlazor.min.css", "text/css"), ("/_content/MudBlazor/MudBlazor.min.js", "text/javascript"), ("/_framework/blazor.web.js", "text/javascript") })
        {
            Assert.Contains($"\"{path[1..]}\"", html, StringComparison.Ordinal);
            using var file = await browser.GetAsync(path);
            Assert.Equal((HttpStatusCode.OK, type), (file.StatusCode, file.Content.Headers.ContentType?.MediaType));
        }
    }
}
