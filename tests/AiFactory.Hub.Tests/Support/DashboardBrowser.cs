using AiFactory.Testing;
using Microsoft.Playwright;

namespace AiFactory.Hub.Tests.Support;

/// <summary>
/// Headless chromium driven by Playwright: Debian's own browser through <c>ExecutablePath</c> (nothing is downloaded).
/// Screenshots go to <c>AIFACTORY_ARTIFACTS</c>, or <c>artifacts/dashboard</c> beside the test assembly.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ArtifactsDirectory { get; } =
        Environment.GetEnvironmentVariable("AIFACTORY_ARTIFACTS") is { Length: > 0 } dir ? Path.Combine(dir, "dashboard") : Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        // Root in a container has no user namespaces for chromium's sandbox.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Path, Headless = true, Args = ["--no-sandbox"] });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>A fresh browser profile (no cookies) at a 1080p control-room size, asking for <paramref name="locale"/>, its clock in <paramref name="timeZone"/>.</summary>
    public async Task<IPage> OpenAsync(Uri hub, string locale = "en-US", string timeZone = "UTC")
    {
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = hub.ToString().TrimEnd('/'), Locale = locale, TimezoneId = timeZone, ViewportSize = new() { Width = 1920, Height = 1080 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in with a key on the sign-in page the dashboard sends a stranger to; waits for the page it returns to.</summary>
    public static async Task SignInAsync(IPage page, string key, string path = "/ui")
    {
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/ui/signin**");
        await page.GetByTestId("key").FillAsync(key);
        await page.GetByTestId("signin").ClickAsync();
        // Until the page it returns to has its document (what the tests then look for has timeouts of its own): not its
        // "load" event within the context's 15 s, which twice in clean-clone runs of every test did not come while the
        // hub's Orleans tests held both cores, though the page was there ("NetworkIdle" had fired).
        await page.WaitForURLAsync(url => !url.Contains("/ui/signin", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 45_000 });
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
