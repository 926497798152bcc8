using System.Globalization;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace AiFactory.Hub.Dashboard.Pages;

/// <summary>
/// What every signed-in page shares: the caller its session stands for, the API's company check (another company's
/// page shows "not found", as the API answers 404), and numbers and times in the user's culture.
/// </summary>
public abstract class DashboardPage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    protected IStringLocalizer<Text> L { get; set; } = null!;

    [Inject]
    protected TenancyStore Tenancy { get; set; } = null!;

    protected HubCaller? Caller { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Caller = AuthenticationState is null ? null : DashboardSession.Caller((await AuthenticationState).User);
    }

    /// <summary>True when the caller may read the company (a key of it, or a hub admin); never for an edge key.</summary>
    protected bool CanRead(string company) => Caller?.CanRead(company) == true;

    /// <summary>True when the scope exists and the caller may read it; a page shows "not found" otherwise, whichever it was.</summary>
    protected async Task<bool> VisibleAsync(MetricsScope scope, CancellationToken ct) =>
        CanRead(scope.CompanyId) && await Tenancy.ScopeExistsAsync(scope.CompanyId, scope.PlantId, scope.LineId, scope.StationId, ct).ConfigureAwait(false);

    protected bool CanAdminister(string company) => Caller?.CanAdminister(company) == true;

    /// <summary>A fraction as a percentage in the user's culture; a dash when there is none.</summary>
    public static string PercentOf(double? value) => value is { } v ? v.ToString("P1", CultureInfo.CurrentCulture) : "–";

    /// <summary>A number in the user's culture; a dash when there is none.</summary>
    public static string NumberOf(double? value, string format = "N0") => value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : "–";

    protected static string Percent(double? value) => PercentOf(value);

    protected static string Number(double? value, string format = "N0") => NumberOf(value, format);

    protected static string Time(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("G", CultureInfo.CurrentCulture) + " UTC" : "–";

    protected static string ShortTime(DateTimeOffset value) => value.UtcDateTime.ToString("t", CultureInfo.CurrentCulture);
}
