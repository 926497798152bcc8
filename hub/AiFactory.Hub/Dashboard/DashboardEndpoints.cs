using System.Globalization;
using System.Text;
using AiFactory.Hub.Alarms;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// Serves the dashboard: its pages (Blazor, interactive server), MudBlazor's and Blazor's own files from this
/// process, and the forms that change state (sign-in and out, language, acknowledgements, alarm rules), each a POST
/// that must carry the page's antiforgery token, answering with a redirect back to a page.
/// </summary>
public static class DashboardEndpoints
{
    public const string Home = "/ui";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var cultures = DashboardOptions.Cultures.ToArray();
        var localization = new RequestLocalizationOptions().SetDefaultCulture(cultures[0]).AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
        app.UseWhen(h => DashboardServices.IsDashboard(h.Request.Path), b => b.UseRequestLocalization(localization));
        // Blazor's circuits over WebSockets: without this middleware SignalR falls back to long polling, an HTTP request
        // (and a session check) per render of every open page.
        app.UseWebSockets();
        app.UseAntiforgery();
        app.UseStaticFiles();
        // Render batches go uncompressed: on the plant network they are small (a changed figure is one text node), and
        // deflating every batch of every open page was a tenth of the hub's cost of 50 open line pages (issue 15's
        // benchmark). The frame-ancestors policy Blazor sets with compression is kept all the same.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o =>
        {
            o.ConfigureWebSocketAcceptContext = (_, accept) =>
            {
                accept.DangerousEnableCompression = false;
                return Task.CompletedTask;
            };
            o.ContentSecurityFrameAncestorsPolicy = "'self'";
        });

        var forms = app.MapGroup("/ui/forms").DisableAntiforgery().AddEndpointFilter<FormAntiforgeryFilter>();
        forms.MapPost("/signin", SignInAsync);
        forms.MapPost("/signout", async (HttpContext h) =>
        {
            await h.SignOutAsync(DashboardSession.Scheme).ConfigureAwait(false);
            return Results.LocalRedirect("/ui/signin");
        });
        forms.MapPost("/culture", (HttpContext h, [FromForm] string? culture, [FromForm] string? returnUrl) =>
        {
            if (culture is not null && cultures.Contains(culture, StringComparer.Ordinal))
            {
                h.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Strict, HttpOnly = true, IsEssential = true });
            }

            return Results.LocalRedirect(Local(returnUrl));
        });
        var company = forms.MapGroup("/companies/{company}").RequireAuthorization();
        company.MapPost("/alarms/{id}/ack", (HttpContext h, string company, string id, [FromForm] string? comment, AlarmCommands commands) =>
            FormAsync(DashboardPaths.Alarms(company), () => commands.AcknowledgeAsync(h.Caller(), company, id, comment, h.RequestAborted)));
        company.MapPost("/alarm-rules", (HttpContext h, string company, [FromForm] string? scope, [FromForm] string? kind, [FromForm] string? threshold,
            [FromForm] string? clearThreshold, [FromForm] string? forMinutes, AlarmCommands commands) =>
            FormAsync(DashboardPaths.Alarms(company), () =>
            {
                var parts = (scope ?? string.Empty).Split('/');
                var body = new AlarmRuleRequest(
                    parts.ElementAtOrDefault(0), parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2), kind,
                    Number("threshold", threshold), Number("clearThreshold", clearThreshold), Number("forMinutes", forMinutes), true);
                return commands.SaveRuleAsync(h.Caller(), company, null, body, h.RequestAborted);
            }));
        company.MapPost("/alarm-rules/{id}/delete", (HttpContext h, string company, string id, AlarmCommands commands) =>
            FormAsync(DashboardPaths.Alarms(company), async () =>
            {
                await commands.DeleteRuleAsync(h.Caller(), company, id, h.RequestAborted).ConfigureAwait(false);
                return id;
            }));

        LineLiveStream.Map(app);
        app.MapGet("/ui/fragments/pareto", (HttpContext h) =>
            new RazorComponentResult<ParetoChart>(new Dictionary<string, object?> { [nameof(ParetoChart.Classes)] = ParetoChart.Parse(h.Request.Query) })).RequireAuthorization();
        app.MapGet("/ui/companies/{company}/plants/{plant}/lines/{line}/history.csv", HistoryCsvAsync).RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext h, [FromForm] string? key, [FromForm] string? timeZone, [FromForm] string? returnUrl, TenancyStore tenancy, HubMetrics metrics)
    {
        string? problem = null;
        StoredKey? stored = null;
        if (!string.IsNullOrEmpty(timeZone) && !DashboardTime.TryFind(timeZone, out _))
        {
            problem = "timezone";
        }
        else if (!ApiKey.TryParse(key?.Trim(), out var id, out var secret))
        {
            problem = "malformed";
        }
        else if ((stored = await tenancy.FindKeyAsync(id, h.RequestAborted).ConfigureAwait(false)) is null || !ApiKey.Matches(secret, stored.SecretHash))
        {
            problem = "unknown";
        }
        else if (stored.RevokedUtc is not null)
        {
            problem = "revoked";
        }
        else if (stored.Role == HubRoles.Name(HubRole.Edge))
        {
            problem = "edge";
        }

        if (problem is not null)
        {
            metrics.AuthFailed();
            return Results.LocalRedirect($"/ui/signin?error={problem}");
        }

        await h.SignInAsync(DashboardSession.Scheme, DashboardSession.Principal(stored!, string.IsNullOrEmpty(timeZone) ? null : timeZone), new AuthenticationProperties { IsPersistent = false }).ConfigureAwait(false);
        return Results.LocalRedirect(Local(returnUrl));
    }

    private static async Task<IResult> HistoryCsvAsync(
        HttpContext h, string company, string plant, string line, MetricsQuery metrics, TenancyStore tenancy, TimeProvider time, IOptions<DashboardOptions> options)
    {
        h.RequireRead(company);
        var scope = new MetricsScope(company, plant, line);
        await QueryEndpoints.RequireScopeAsync(tenancy, scope, h.RequestAborted).ConfigureAwait(false);
        var q = h.Request.Query;
        var times = DashboardSession.Times(h.User, options.Value.TimeZone);
        var range = HistoryRange.Parse(q["range"], q["from"], q["to"], time.GetUtcNow(), times);
        var result = await metrics.RunAsync(scope, range.From, range.To, range.Granularity, h.RequestAborted).ConfigureAwait(false);
        var csv = new StringBuilder("start_utc,start_local,frames,pass,fail,anomalies,first_pass_yield,latency_p99_ms\n");
        foreach (var p in result.Series)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{times.Iso(p.Start)},{p.Frames},{p.Pass},{p.Fail},{p.Anomalies},{p.FirstPassYield:0.######},{p.LatencyP99Ms:0.###}\n");
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"{company}-{plant}-{line}-{range.From.UtcDateTime:yyyyMMddTHHmm}-{range.To.UtcDateTime:yyyyMMddTHHmm}.csv");
    }

    /// <summary>Runs a form's change; a refusal goes back to the page as its message instead of a problem document.</summary>
    private static async Task<IResult> FormAsync<T>(string page, Func<Task<T>> change)
    {
        try
        {
            await change().ConfigureAwait(false);
            return Results.LocalRedirect(page);
        }
        catch (HubProblemException ex)
        {
            return Results.LocalRedirect($"{page}?error={Uri.EscapeDataString(ex.Message)}");
        }
    }

    private static double? Number(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw HubProblemException.BadRequest($"alarm rule field '{field}' '{text}' is not a number.");

    /// <summary>Only a path on this site (not '//host' or a URL), so a crafted link cannot send a signed-in user elsewhere.</summary>
    private static string Local(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : Home;
}
