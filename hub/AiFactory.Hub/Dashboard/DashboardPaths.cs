namespace AiFactory.Hub.Dashboard;

/// <summary>The dashboard's page addresses, mirroring the API's (<c>/ui/companies/{company}/plants/…</c>).</summary>
public static class DashboardPaths
{
    public static string Company(string company) => $"/ui/companies/{company}";

    public static string Line(string company, string plant, string line) => $"{Company(company)}/plants/{plant}/lines/{line}";

    public static string Station(string company, string plant, string line, string station) => $"{Line(company, plant, line)}/stations/{station}";

    public static string History(string company, string plant, string line) => $"{Line(company, plant, line)}/history";

    public static string Alarms(string company) => $"{Company(company)}/alarms";

    /// <summary>"Where do we stand?" in an alliance: the printable report (<c>Alliance.AllianceEndpoints.StandingPage</c>).</summary>
    public static string Standing(string alliance, string company) => $"/ui/alliances/{alliance}/companies/{company}/standing";
}
