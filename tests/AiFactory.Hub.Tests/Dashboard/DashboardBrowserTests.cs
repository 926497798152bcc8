using System.Diagnostics;
using System.Text.RegularExpressions;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>The dashboard in a real browser (headless chromium) against a real hub; screenshots in <see cref="DashboardBrowser.ArtifactsDirectory"/>.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task SignIn_DrillsDownFromCompanyToStation()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l1", "s2")));
        var engineer = (await hub.UserAsync("acme", "plant-engineer")).Key;
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(hub.Address);

        await DashboardBrowser.SignInAsync(page, engineer);

        await Assertions.Expect(page.GetByTestId("company")).ToHaveTextAsync("acme");
        await DashboardBrowser.ScreenshotAsync(page, "1-fleet");

        // The tile's yield is the current minute's: the batch goes in with time to spare before the minute turns.
        await MinuteTurn.AwayAsync(TimeSpan.FromSeconds(40));
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 9, 1)])))).EnsureSuccessStatusCode();
        await page.GetByTestId("line-l1").GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("tile-s1").Locator("[data-kpi=frames]")).ToHaveTextAsync("10");
        await Assertions.Expect(page.GetByTestId("tile-s1").Locator("[data-kpi=fpy]")).ToHaveTextAsync("90.0%");
        await DashboardBrowser.ScreenshotAsync(page, "2-line");
        await page.GetByTestId("tile-s1").GetByRole(AriaRole.Link, new() { Name = "s1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("station")).ToHaveTextAsync("s1");
        await Assertions.Expect(page.Locator("[data-kpi=fpy]")).ToHaveTextAsync("90.0%");
        await DashboardBrowser.ScreenshotAsync(page, "3-station");
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "aif-dashboard");
        Assert.Equal((true, SameSiteAttribute.Strict), (cookie.HttpOnly, cookie.SameSite));
    }

    [ChromiumFact]
    public async Task TimesAreShown_InTheBrowsersTimeZone_SentAtSignIn()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(hub.Address, timeZone: "Asia/Seoul");

        await DashboardBrowser.SignInAsync(page, (await hub.UserAsync("acme", "plant-engineer")).Key,
            "/ui/companies/acme/plants/p1/lines/l1/history?range=custom&from=2026-12-07T02:00&to=2026-12-07T03:00");

        await Assertions.Expect(page.GetByTestId("time-zone")).ToHaveTextAsync("Times in Asia/Seoul (UTC+09:00)");
        await Assertions.Expect(page.GetByTestId("range")).ToContainTextAsync("(UTC+09:00) –");
        var range = (await page.GetByTestId("range").TextContentAsync())!;
        Assert.Matches(@"^12/7/2026 2:00:00\W+AM \(UTC\+09:00\) – 12/7/2026 3:00:00\W+AM \(UTC\+09:00\)$", range);
        await DashboardBrowser.ScreenshotAsync(page, "9-time-zone");
    }

    [ChromiumFact]
    public async Task LiveTile_ChangesWithinTwoSecondsOfAnUplink_WithoutAReload()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(hub.Address);
        await DashboardBrowser.SignInAsync(page, (await hub.UserAsync("acme", "plant-engineer")).Key, "/ui/companies/acme/plants/p1/lines/l1");
        // A registered station that has not reported is listed idle, with no frames in the last hour.
        var frames = page.GetByTestId("tile-s1").Locator("[data-kpi=frames]");
        await Assertions.Expect(frames).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("tile-s1").Locator("[data-kpi=fpy]")).ToHaveTextAsync("–");
        var loads = 0;
        page.Load += (_, _) => loads++;

        var worst = TimeSpan.Zero;
        for (var b = 1; b <= 4; b++)
        {
            (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", b, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 10, 0)])))).EnsureSuccessStatusCode();
            var acked = Stopwatch.GetTimestamp();
            await Assertions.Expect(frames).ToHaveTextAsync((10 * b).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 5_000 });
            var shown = Stopwatch.GetElapsedTime(acked);
            worst = b > 1 && shown > worst ? shown : worst;
        }

        // The tile's other parts redraw themselves too: its status chip turns to defects, its Pareto chart appears.
        var tile = page.GetByTestId("tile-s1");
        await Assertions.Expect(tile.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "ok");
        await Assertions.Expect(tile.Locator("svg")).ToHaveCountAsync(0);
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 5, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 7, 3, classes: new Dictionary<string, long> { ["scratch"] = 3, ["ok"] = 7 })])))).EnsureSuccessStatusCode();
        await Assertions.Expect(tile.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "failing", new() { Timeout = 5_000 });
        await Assertions.Expect(tile.GetByText("Classes, largest first (1 h)")).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await Assertions.Expect(tile.Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(frames).ToHaveTextAsync("50");

        output.WriteLine($"slowest tile update after the ack (batches 2-4): {worst.TotalMilliseconds:F0} ms");
        await DashboardBrowser.ScreenshotAsync(page, "4-live-tile");
        Assert.True(worst < TimeSpan.FromSeconds(2), $"a tile changed {worst.TotalMilliseconds:F0} ms after the uplink's ack");
        Assert.Equal(0, loads);
    }

    [ChromiumFact]
    public async Task AKeyRevoked_WhileItsLivePagesAreOpen_SendsThemToSignIn()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--Hub:Dashboard:DetailsRefresh=00:00:00.5"]);
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        var engineer = await hub.UserAsync("acme", "plant-engineer");
        await using var browser = await DashboardBrowser.LaunchAsync();
        var line = await browser.OpenAsync(hub.Address);
        await DashboardBrowser.SignInAsync(line, engineer.Key, "/ui/companies/acme/plants/p1/lines/l1");
        await Assertions.Expect(line.GetByTestId("tile-s1").Locator("[data-kpi=frames]")).ToHaveTextAsync("0");
        // The company page is a Blazor circuit, the line page a socket of its own: each is checked as it stays open.
        var company = await line.Context.NewPageAsync();
        await company.GotoAsync("/ui/companies/acme");
        await Assertions.Expect(company.GetByTestId("line-l1")).ToBeVisibleAsync();

        (await hub.Admin.PostAsync($"/api/v1/admin/keys/{engineer.KeyId}/revoke", null)).EnsureSuccessStatusCode();

        // Nobody touches the pages: both reload into the sign-in page.
        var signIn = new System.Text.RegularExpressions.Regex("/ui/signin\\?ReturnUrl=");
        await Assertions.Expect(line).ToHaveURLAsync(signIn, new() { Timeout = 10_000 });
        await Assertions.Expect(company).ToHaveURLAsync(signIn, new() { Timeout = 10_000 });
    }

    [ChromiumFact]
    public async Task EightLiveLineTabs_InOneBrowser_AllUpdate_AndComeBackAfterTheirSocketDrops()
    {
        // A browser opens at most six HTTP/1.1 connections to a host: live pages held open by a stream each would stop
        // the seventh tab. The line pages' WebSockets are not counted against that limit.
        await using var hub = await HubHarness.StartAsync();
        var lines = Enumerable.Range(1, 8).Select(i => ($"l{i}", "s1")).ToArray();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", lines));
        await using var browser = await DashboardBrowser.LaunchAsync();
        var first = await browser.OpenAsync(hub.Address);
        await DashboardBrowser.SignInAsync(first, (await hub.UserAsync("acme", "plant-engineer")).Key, "/ui/companies/acme/plants/p1/lines/l1");
        var tabs = new List<IPage> { first };
        var sockets = new List<IWebSocketRoute>();
        for (var i = 2; i <= lines.Length; i++)
        {
            var tab = await first.Context.NewPageAsync();
            if (i == lines.Length)
            {
                // The last tab's sockets pass through the test, which can drop one as a network blip would.
                await tab.RouteWebSocketAsync(new Regex("/live$"), socket =>
                {
                    socket.ConnectToServer();
                    lock (sockets)
                    {
                        sockets.Add(socket);
                    }
                });
            }

            await tab.GotoAsync($"/ui/companies/acme/plants/p1/lines/l{i}");
            tabs.Add(tab);
        }

        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, lines.Select(l => (object)Summary("e1", "acme", "p1", l.Item1, "s1", DateTimeOffset.UtcNow, 10, 10, 0)))))).EnsureSuccessStatusCode();
        foreach (var tab in tabs)
        {
            await Assertions.Expect(tab.GetByTestId("tile-s1").Locator("[data-kpi=frames]")).ToHaveTextAsync("10", new() { Timeout = 10_000 });
        }

        // The last tab's socket drops: the tab says so, opens another, and goes on updating with the others.
        var live = tabs[^1].GetByTestId("live-line");
        await Assertions.Expect(live).ToHaveAttributeAsync("data-live-state", "open");
        IWebSocketRoute dropped;
        lock (sockets)
        {
            dropped = Assert.Single(sockets);
        }

        await dropped.CloseAsync(new() { Code = 4000, Reason = "test: network blip" });
        await Assertions.Expect(live).ToHaveAttributeAsync("data-live-state", "reconnecting", new() { Timeout = 10_000 });
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1 + lines.Length, lines.Select(l => (object)Summary("e1", "acme", "p1", l.Item1, "s1", DateTimeOffset.UtcNow, 10, 10, 0)))))).EnsureSuccessStatusCode();
        foreach (var tab in tabs)
        {
            await Assertions.Expect(tab.GetByTestId("tile-s1").Locator("[data-kpi=frames]")).ToHaveTextAsync("20", new() { Timeout = 20_000 });
        }

        await Assertions.Expect(live).ToHaveAttributeAsync("data-live-state", "open");
        lock (sockets)
        {
            Assert.Equal(2, sockets.Count);
        }

        await DashboardBrowser.ScreenshotAsync(tabs[^1], "4b-eighth-tab");
    }

    [ChromiumFact]
    public async Task Alarm_FromASimulatedAnomaly_IsAcknowledgedWithAComment_ThenClears()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--Hub:Alarms:EvaluateInterval=00:00:00.2"]);
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(hub.Address);
        await DashboardBrowser.SignInAsync(page, (await hub.UserAsync("acme", "company-admin")).Key, "/ui/companies/acme/alarms");

        await page.GetByTestId("rule-scope").SelectOptionAsync("p1/l1/s1");
        await page.GetByTestId("rule-kind").SelectOptionAsync("anomaly-rate");
        await page.GetByTestId("rule-threshold").FillAsync("0.2");
        await page.GetByTestId("rule-clear").FillAsync("0.1");
        await page.GetByTestId("rule-minutes").FillAsync("0");
        await page.GetByTestId("rule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rules").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("no-active")).ToBeVisibleAsync();

        var now = DateTimeOffset.UtcNow;
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", now, 10, 5, 5, anomalies: 5)])))).EnsureSuccessStatusCode();
        var active = page.Locator("[data-state=active]");
        await Assertions.Expect(active).ToHaveCountAsync(1);
        await Assertions.Expect(active).ToHaveClassAsync(new Regex("aif-alarm-active"));
        await DashboardBrowser.ScreenshotAsync(page, "5-alarm-active");

        await active.GetByTestId("ack-comment").FillAsync("nozzle 3 cleaned");
        await active.GetByTestId("ack").ClickAsync();
        var acknowledged = page.Locator("[data-state=acknowledged]");
        await Assertions.Expect(acknowledged.GetByTestId("ack-info")).ToContainTextAsync("(company-admin)");
        await Assertions.Expect(acknowledged.GetByTestId("ack-info")).ToContainTextAsync("“nozzle 3 cleaned”");
        await DashboardBrowser.ScreenshotAsync(page, "6-alarm-acknowledged");

        // Stamped with the current minute: rules judge the current minute, so a run that crossed one could never clear.
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 2, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 100, 100, 0)])))).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("[data-state=cleared]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-state=cleared]").GetByTestId("ack-info")).ToContainTextAsync("nozzle 3 cleaned");
        await Assertions.Expect(page.GetByTestId("no-active")).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "7-alarm-cleared");
    }

    [ChromiumFact]
    public async Task Language_FollowsTheBrowser_AndSwitchesToKorean_WithKoreanTimes()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 9, 1)])))).EnsureSuccessStatusCode();
        var engineer = (await hub.UserAsync("acme", "plant-engineer")).Key;
        await using var browser = await DashboardBrowser.LaunchAsync();
        var korean = await browser.OpenAsync(hub.Address, "ko-KR");
        await korean.GotoAsync("/ui/signin");
        await Assertions.Expect(korean.GetByTestId("signin")).ToHaveTextAsync("로그인");

        var page = await browser.OpenAsync(hub.Address, "en-US");
        await DashboardBrowser.SignInAsync(page, engineer, "/ui/companies/acme/plants/p1/lines/l1/stations/s1");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByTestId("verdicts").Locator("tbody td").First).ToHaveTextAsync(new Regex(@"^\d{1,2}:\d{2}\s(AM|PM)$"));
        await page.GetByTestId("culture").SelectOptionAsync("ko");
        await page.GetByTestId("culture-apply").ClickAsync();

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await Assertions.Expect(page.GetByText("분당 최근 판정")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("verdicts").Locator("tbody td").First).ToHaveTextAsync(new Regex(@"^(오전|오후)\s\d{1,2}:\d{2}$"));
        await Assertions.Expect(page.Locator("[data-kpi=fpy]")).ToHaveTextAsync("90.0%");
        await DashboardBrowser.ScreenshotAsync(page, "8-korean");
    }

    [ChromiumFact]
    public async Task AnotherCompanysUser_SeesNothingOfOurs()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        await hub.SetupPlantAsync("other", "p9", "e9", ("l9", "s9"));
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 9, 1)])))).EnsureSuccessStatusCode();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(hub.Address);

        await DashboardBrowser.SignInAsync(page, (await hub.UserAsync("other", "company-admin")).Key);

        await Assertions.Expect(page.GetByTestId("company")).ToHaveTextAsync("other");
        await Assertions.Expect(page.GetByTestId("line-l9")).ToBeVisibleAsync();
        Assert.Equal("/ui/companies/other", new Uri(page.Url).AbsolutePath);
        foreach (var path in new[] { "/ui/companies/acme", "/ui/companies/acme/plants/p1/lines/l1", "/ui/companies/acme/plants/p1/lines/l1/stations/s1", "/ui/companies/acme/plants/p1/lines/l1/history", "/ui/companies/acme/alarms" })
        {
            await page.GotoAsync(path);
            // The page holds the not-found notice and nothing else: no tree, tile, figure or alarm of acme.
            await Assertions.Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
            var text = (await page.Locator(".mud-main-content").InnerTextAsync()).Trim();
            Assert.Equal((await page.GetByTestId("not-found").InnerTextAsync()).Trim(), text);
            Assert.Matches("^(Company 'acme'|'l1'|'s1') does not exist\\.$", text);
        }

        await DashboardBrowser.ScreenshotAsync(page, "9-other-company");
    }
}
