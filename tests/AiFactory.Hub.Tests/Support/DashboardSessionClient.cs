using System.Net;
using System.Text.RegularExpressions;

namespace AiFactory.Hub.Tests.Support;

/// <summary>A browser-like HTTP client of the dashboard: keeps cookies, does not follow redirects, reads the forms' antiforgery token.</summary>
internal sealed partial class DashboardSessionClient : IDisposable
{
    private readonly HttpClient _http;

    public DashboardSessionClient(Uri hub)
    {
        BaseAddress = hub;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = hub };
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    /// <summary>The antiforgery token of the page's first form (its cookie lands in <see cref="Cookies"/>).</summary>
    public async Task<string> TokenAsync(string page)
    {
        using var response = await _http.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        return TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"{page} ({(int)response.StatusCode}) has no antiforgery token");
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) => _http.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>Signs in through the sign-in page's form (with the time zone a browser's script would send, if any); answers the form's response (a redirect).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key, string timeZone = "") =>
        await PostFormAsync(
            "/ui/forms/signin", [new("key", key), new("timeZone", timeZone), new("returnUrl", "/ui"), new("__RequestVerificationToken", await TokenAsync("/ui/signin"))]);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
