using System.Text;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// The alliance's tables (migrations 240–259): process taxonomy, alliances and members, sharing policies, the line
/// roll-up benchmarks read, released cells (the differencing check), the privacy ledger and data-room offers; and
/// triggers that make <c>audit_log</c> append-only on both databases.
/// </summary>
public static class AllianceSchema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(240, "alliances, process taxonomy, sharing policies, benchmarks, privacy ledger, data rooms", BuildV240()),
        new(241, "audit_log is append-only (SQLite)", """
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            """, DatabaseProvider.Sqlite),
        new(242, "audit_log is append-only (PostgreSQL)", """
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $fn$;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
            """, DatabaseProvider.PostgreSql),
        new(243, "line-day roll-up clustered by line and day (SQLite; the roll-up rebuilds it)", BuildLineDays(" WITHOUT ROWID", drop: true), DatabaseProvider.Sqlite),
        new(244, "stations' drift per hour; line roll-up in aligned spans keyed by process type (SQLite)", BuildSpans(" WITHOUT ROWID"), DatabaseProvider.Sqlite),
        new(245, "stations' drift per hour; line roll-up in aligned spans keyed by process type (PostgreSQL)", BuildSpans(string.Empty), DatabaseProvider.PostgreSql),
        new(246, "Gaussian noise per alliance; the privacy ledger per analyst (a named user of a company), with δ; keys' owners", """
            ALTER TABLE alliances ADD COLUMN mechanism TEXT NOT NULL DEFAULT 'laplace';
            ALTER TABLE alliances ADD COLUMN delta DOUBLE PRECISION NOT NULL DEFAULT 0.000001;
            ALTER TABLE api_keys ADD COLUMN owner TEXT NULL;
            ALTER TABLE privacy_ledger ADD COLUMN delta DOUBLE PRECISION NOT NULL DEFAULT 0;
            ALTER TABLE privacy_ledger RENAME COLUMN key_id TO analyst;
            UPDATE privacy_ledger SET analyst = COALESCE((SELECT k.company_id FROM api_keys k WHERE k.id = privacy_ledger.analyst), 'hub') || '/' || analyst
                WHERE analyst IN (SELECT id FROM api_keys);
            """),
    ];

    /// <summary>
    /// <c>station_drift_hours</c> (each station's drift figure per report, summed per hour) and <c>alliance_line_spans</c>
    /// (<see cref="LineSpans"/>), filled from the line-days rolled up so far, which it replaces.
    /// </summary>
    private static string BuildSpans(string options)
    {
        var sb = new StringBuilder("""
            CREATE TABLE station_drift_hours (company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL, station_id TEXT NOT NULL,
                hour_start BIGINT NOT NULL, psi_sum DOUBLE PRECISION NOT NULL, reports BIGINT NOT NULL, PRIMARY KEY (company_id, plant_id, line_id, station_id, hour_start));
            CREATE INDEX station_drift_hours_by_hour ON station_drift_hours (hour_start);

            """);
        sb.Append(LineSpans.CreateTable(options));
        sb.Append("INSERT INTO alliance_line_spans (").Append(LineSpans.Columns).AppendLine(")");
        sb.Append("SELECT COALESCE(lp.process_type, ''), 1, d.day_start, d.company_id, d.plant_id, d.line_id, COALESCE(lp.product_family, ''), d.frames, d.pass_count, d.fail_count, d.anomalies, 0, 0, ")
            .AppendJoin(", ", BucketColumns.Latency.Select(c => "d." + c)).AppendLine();
        sb.AppendLine("FROM alliance_line_days d LEFT JOIN line_processes lp ON lp.company_id = d.company_id AND lp.plant_id = d.plant_id AND lp.line_id = d.line_id;");
        foreach (var days in LineSpans.Sizes.Skip(1))
        {
            sb.Append(LineSpans.SumHalves(days, ranged: false)).AppendLine(";");
        }

        return sb.AppendLine("DROP TABLE alliance_line_days;").ToString();
    }

    private static string BuildV240()
    {
        var sb = new StringBuilder("""
            CREATE TABLE process_types (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_utc BIGINT NOT NULL);
            CREATE TABLE line_processes (company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL,
                process_type TEXT NOT NULL REFERENCES process_types(id), product_family TEXT NOT NULL, updated_utc BIGINT NOT NULL,
                PRIMARY KEY (company_id, plant_id, line_id), FOREIGN KEY (company_id, plant_id, line_id) REFERENCES lines(company_id, plant_id, id));
            CREATE INDEX line_processes_by_type ON line_processes (process_type, company_id);
            CREATE TABLE alliances (id TEXT PRIMARY KEY, name TEXT NOT NULL, min_companies BIGINT NOT NULL, max_share DOUBLE PRECISION NOT NULL,
                dp_enabled BIGINT NOT NULL, epsilon_budget DOUBLE PRECISION NOT NULL, epsilon_per_query DOUBLE PRECISION NOT NULL,
                created_utc BIGINT NOT NULL, updated_utc BIGINT NOT NULL);
            CREATE TABLE alliance_members (alliance_id TEXT NOT NULL REFERENCES alliances(id), company_id TEXT NOT NULL REFERENCES companies(id),
                joined_utc BIGINT NOT NULL, PRIMARY KEY (alliance_id, company_id));
            CREATE TABLE sharing_policies (alliance_id TEXT NOT NULL, company_id TEXT NOT NULL, metric TEXT NOT NULL, plant_id TEXT NOT NULL,
                line_id TEXT NOT NULL, level TEXT NOT NULL, named_companies TEXT NOT NULL, purposes TEXT NOT NULL, expires_utc BIGINT NOT NULL,
                updated_utc BIGINT NOT NULL, PRIMARY KEY (alliance_id, company_id, metric, plant_id, line_id));
            CREATE TABLE alliance_releases (alliance_id TEXT NOT NULL, process_type TEXT NOT NULL, metric TEXT NOT NULL, members_hash TEXT NOT NULL,
                members TEXT NOT NULL, query_id TEXT NOT NULL, released_utc BIGINT NOT NULL, PRIMARY KEY (alliance_id, process_type, metric, members_hash));
            CREATE TABLE privacy_ledger (alliance_id TEXT NOT NULL, key_id TEXT NOT NULL, period TEXT NOT NULL, query_id TEXT NOT NULL,
                epsilon DOUBLE PRECISION NOT NULL, time_utc BIGINT NOT NULL, PRIMARY KEY (alliance_id, key_id, query_id));
            CREATE INDEX privacy_ledger_by_period ON privacy_ledger (alliance_id, key_id, period);
            CREATE TABLE room_offers (id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, company_id TEXT NOT NULL, plant_id TEXT NOT NULL,
                line_id TEXT NOT NULL, station_id TEXT NOT NULL, from_utc BIGINT NOT NULL, to_utc BIGINT NOT NULL, purpose TEXT NOT NULL,
                grantees TEXT NOT NULL, expires_utc BIGINT NOT NULL, deidentification TEXT NOT NULL, created_utc BIGINT NOT NULL, revoked_utc BIGINT NULL);
            CREATE INDEX room_offers_by_alliance ON room_offers (alliance_id, company_id);
            """);
        return sb.Append(BuildLineDays(string.Empty, drop: false)).ToString();
    }

    /// <summary>
    /// One row per line and UTC day. On SQLite (migration 243) a WITHOUT ROWID table, so a line's days lie together in
    /// key order and a benchmark reads them as one range instead of an index probe and a row lookup per day.
    /// </summary>
    private static string BuildLineDays(string options, bool drop)
    {
        var sb = new StringBuilder(drop ? "DROP TABLE alliance_line_days;\n" : string.Empty);
        sb.AppendLine("CREATE TABLE alliance_line_days (company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL, day_start BIGINT NOT NULL,");
        sb.AppendLine("    frames BIGINT NOT NULL, pass_count BIGINT NOT NULL, fail_count BIGINT NOT NULL, anomalies BIGINT NOT NULL,");
        sb.Append("    ").AppendJoin(", ", BucketColumns.Latency.Select(c => c + " BIGINT NOT NULL")).AppendLine(",");
        sb.Append("    PRIMARY KEY (company_id, plant_id, line_id, day_start))").Append(options).AppendLine(";");
        sb.AppendLine("CREATE INDEX alliance_line_days_by_day ON alliance_line_days (day_start);");
        return sb.ToString();
    }
}
