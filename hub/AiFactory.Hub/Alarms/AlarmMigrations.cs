using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Alarms;

/// <summary>The alarm tables (schema versions 200–219 belong to the dashboard and alarms).</summary>
public static class AlarmMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(200, "alarm rules and alarms", """
            CREATE TABLE alarm_rules (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL,
                station_id TEXT NULL, kind TEXT NOT NULL, threshold DOUBLE PRECISION NOT NULL, clear_threshold DOUBLE PRECISION NOT NULL,
                for_minutes DOUBLE PRECISION NOT NULL, enabled BIGINT NOT NULL, updated_utc BIGINT NOT NULL, updated_by TEXT NOT NULL);
            CREATE INDEX alarm_rules_by_company ON alarm_rules (company_id);
            CREATE TABLE alarms (id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, company_id TEXT NOT NULL, plant_id TEXT NOT NULL,
                line_id TEXT NOT NULL, station_id TEXT NULL, kind TEXT NOT NULL, threshold DOUBLE PRECISION NOT NULL,
                raised_utc BIGINT NOT NULL, raised_value DOUBLE PRECISION NOT NULL, cleared_utc BIGINT NULL, cleared_value DOUBLE PRECISION NULL,
                acked_utc BIGINT NULL, acked_by TEXT NULL, ack_comment TEXT NULL);
            CREATE UNIQUE INDEX alarms_one_open_per_rule ON alarms (rule_id) WHERE cleared_utc IS NULL;
            CREATE INDEX alarms_by_company ON alarms (company_id, raised_utc);
            """),
    ];
}
