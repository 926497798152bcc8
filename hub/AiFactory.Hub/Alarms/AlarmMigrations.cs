using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Alarms;

/// <summary>The alarm tables and the outbox of their notices (schema versions 200–219 belong to the dashboard and alarms).</summary>
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
        new(201, "alarm notices outbox (SQLite)", Notices("seq INTEGER PRIMARY KEY AUTOINCREMENT"), DatabaseProvider.Sqlite),
        new(202, "alarm notices outbox (PostgreSQL)", Notices("seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"), DatabaseProvider.PostgreSql),
    ];

    /// <summary>
    /// One row per notice and target: written in the alarm change's transaction, claimed by one silo at a time, then
    /// delivered, retried later or given up. <c>seq</c> keeps each target's notices in the order they were written.
    /// </summary>
    private static string Notices(string seq) => $"""
        CREATE TABLE alarm_notices ({seq}, id TEXT NOT NULL, target TEXT NOT NULL, alarm_id TEXT NOT NULL,
            company_id TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL, created_utc BIGINT NOT NULL, attempts BIGINT NOT NULL,
            next_utc BIGINT NOT NULL, claimed_by TEXT NULL, claimed_until BIGINT NULL, delivered_utc BIGINT NULL, failed_utc BIGINT NULL,
            last_error TEXT NULL);
        CREATE UNIQUE INDEX alarm_notices_by_id ON alarm_notices (id, target);
        CREATE INDEX alarm_notices_waiting ON alarm_notices (target, seq) WHERE delivered_utc IS NULL AND failed_utc IS NULL;
        CREATE INDEX alarm_notices_by_company ON alarm_notices (company_id, delivered_utc);
        """;
}
