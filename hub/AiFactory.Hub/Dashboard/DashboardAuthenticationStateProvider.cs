using AiFactory.Hub.Auth;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// A live page's (a Blazor circuit's) session, checked again every <c>Hub:Dashboard:DetailsRefresh</c>, as each request
/// checks its own: a key revoked or changed while the page stays open makes the circuit's user anonymous, and the page's
/// <see cref="SessionWatch"/> reloads it, which asks to sign in.
/// </summary>
public sealed class DashboardAuthenticationStateProvider(ILoggerFactory logs, TenancyStore tenancy, IOptions<DashboardOptions> options)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    private readonly ILogger _log = logs.CreateLogger<DashboardAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => options.Value.DetailsRefresh;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        DashboardSession.Caller(authenticationState.User) is not { } caller
        || await KeyRecheck.StillStandsAsync(tenancy, caller, _log, "a live page (Blazor circuit)", cancellationToken).ConfigureAwait(false);
}
