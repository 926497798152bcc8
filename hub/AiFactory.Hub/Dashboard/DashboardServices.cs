using AiFactory.Hub.Auth;
using AiFactory.Hub.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// Registers the dashboard: Blazor (interactive server) with MudBlazor, its session cookie, Korean and English. A
/// request under <c>/ui</c> or Blazor's own <c>/_blazor</c> is authenticated by its session cookie, every
/// other by its API key, so the API answers 401 problems as before and the dashboard sends strangers to sign in.
/// </summary>
public static class DashboardServices
{
    private const string Selector = "AiFactory";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Blazor's and MudBlazor's files: from the build's manifest when run from a build, from wwwroot when published.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddLocalization();
        services.AddCascadingAuthenticationState();
        // Instead of Blazor's own (registered by AddInteractiveServerComponents): it checks a live page's key again as it stays open.
        services.AddScoped<AuthenticationStateProvider, DashboardAuthenticationStateProvider>();
        AddKeyRing(builder);
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<LiveTicker>();
        services.AddSingleton<LineDetails>();
        services.AddScoped<DashboardSessionEvents>();
        services.AddAuthentication(o => o.DefaultScheme = Selector)
            .AddPolicyScheme(Selector, "API key or dashboard session", o =>
                o.ForwardDefaultSelector = context => IsDashboard(context.Request.Path) ? DashboardSession.Scheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddCookie(DashboardSession.Scheme, o =>
            {
                o.Cookie.Name = DashboardSession.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/ui/signin";
                o.AccessDeniedPath = "/ui/signin";
                o.SlidingExpiration = true;
                o.EventsType = typeof(DashboardSessionEvents);
            });
        services.AddOptions<CookieAuthenticationOptions>(DashboardSession.Scheme).Configure<IOptions<DashboardOptions>, TimeProvider>((o, dashboard, time) =>
        {
            o.ExpireTimeSpan = dashboard.Value.SessionLifetime;
            o.TimeProvider = time;
        });
        return builder;
    }

    /// <summary>
    /// Data Protection (the session cookie's ticket, antiforgery tokens, Blazor's circuit state) with its key ring in the
    /// hub's database, so every hub and silo on the database reads what another wrote; one application name, so hubs
    /// installed in different folders share it; keys encrypted at rest with the key-ring certificate when configured.
    /// </summary>
    private static void AddKeyRing(WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("aifactory-hub");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<HubDatabase, TimeProvider>((o, database, time) => o.XmlRepository = new KeyRingRepository(database, time));
        var bound = builder.Configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        if (KeyRingCertificate.Load(bound) is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
    }

    /// <summary>Paths the session cookie authenticates: the dashboard's pages and forms, and Blazor's circuit hub.</summary>
    public static bool IsDashboard(PathString path) => path.StartsWithSegments("/ui") || path.StartsWithSegments("/_blazor");
}
