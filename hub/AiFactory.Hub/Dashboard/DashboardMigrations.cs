using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Dashboard;

/// <summary>The dashboard's tables (schema versions 200–219 belong to the dashboard and alarms).</summary>
public static class DashboardMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(203, "data-protection key ring of the dashboard's cookies", """
            CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL, created_utc BIGINT NOT NULL);
            """),
    ];
}
