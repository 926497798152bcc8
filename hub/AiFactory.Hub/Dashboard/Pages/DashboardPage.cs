using System.Globalization;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard.Pages;

/// <summary>
/// What every signed-in page shares: the caller its session stands for, the API's company check (another company's
/// page shows "not found", as the API answers 404), and numbers and times in the user's culture (times in the session's zone).
/// </summary>
public abstract class DashboardPage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    protected IStringLocalizer<Text> L { get; set; } = null!;

    [Inject]
    protected TenancyStore Tenancy { get; set; } = null!;

    [Inject]
    protected IOptions<DashboardOptions> Options { get; set; } = null!;

    protected HubCaller? Caller { get; private set; }

    /// <summary>The session's time zone (its browser's), in which every time on the page is shown.</summary>
    protected DashboardTime Times { get; private set; } = DashboardTime.Utc;

    protected override async Task OnInitializedAsync()
    {
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        Caller = DashboardSession.Caller(user);
        Times = DashboardSession.Times(user, Options.Value.TimeZone);
    }

    /// <summary>True when the caller may read the company (a key of it, or a hub admin); never for an edge key.</summary>
    protected bool CanRead(string company) => Caller?.CanRead(company) == true;

    /// <summary>True when the scope exists and the caller may read it; a page shows "not found" otherwise, whichever it was.</summary>
    protected async Task<bool> VisibleAsync(MetricsScope scope, CancellationToken ct) =>
        CanRead(scope.CompanyId) && await Tenancy.ScopeExistsAsync(scope.CompanyId, scope.PlantId, scope.LineId, scope.StationId, ct).ConfigureAwait(false);

    protected bool CanAdminister(string company) => Caller?.CanAdminister(company) == true;

    /// <summary>A fraction as a percentage in the user's culture (or <paramref name="culture"/>); a dash when there is none.</summary>
    public static string PercentOf(double? value, IFormatProvider? culture = null) => value is { } v ? v.ToString("P1", culture ?? CultureInfo.CurrentCulture) : "–";

    /// <summary>A number in the user's culture (or <paramref name="culture"/>); a dash when there is none.</summary>
    public static string NumberOf(double? value, string format = "N0", IFormatProvider? culture = null) => value is { } v ? v.ToString(format, culture ?? CultureInfo.CurrentCulture) : "–";

    protected static string Percent(double? value) => PercentOf(value);

    protected static string Number(double? value, string format = "N0") => NumberOf(value, format);

    protected string Time(DateTimeOffset? value) => Times.Full(value);

    protected string ShortTime(DateTimeOffset value) => Times.TimeOfDay(value);
}
