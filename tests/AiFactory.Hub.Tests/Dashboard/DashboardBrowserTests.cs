using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Microsoft.Playwright;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>The dashboard in a real browser (headless chromium) against a real hub; screenshots in <see cref="DashboardBrowser.ArtifactsDirectory"/>.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardBrowserTests
{
    [ChromiumFact]
    public async Task SignIn_DrillsDownFromCompanyToStation()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l1", "s2")));
        var engineer = (await hub.UserAsync("acme", "plant-engineer")).Key;
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 9, 1)])))).EnsureSuccessStatusCode();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(hub.Address);

        await DashboardBrowser.SignInAsync(page, engineer);

        await Assertions.Expect(page.GetByTestId("company")).ToHaveTextAsync("acme");
        await DashboardBrowser.ScreenshotAsync(page, "1-fleet");
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
}
