namespace AiFactory.Hub.Dashboard;

/// <summary>The plant engineers' dashboard (configuration section <c>Hub:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Hub:Dashboard";

    /// <summary>A session cookie is good this long after its last use (sliding), then the user signs in again.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Backlog, data quality and edge details on the line page are re-read this often (live KPIs come from the grains as they change).</summary>
    public TimeSpan DetailsRefresh { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A page shows at most one live snapshot per this interval (the latest; those between are skipped): a line's grain
    /// may publish ten a second under load, and each shown snapshot is a render sent to the browser.
    /// </summary>
    public TimeSpan RenderInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The cultures the dashboard speaks; the first is the default when the browser asks for none of them.</summary>
    public static IReadOnlyList<string> Cultures { get; } = ["en", "ko"];
}
