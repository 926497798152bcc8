using System.Text;

namespace AiFactory.Hub.Storage;

/// <summary>
/// The hub's schema as numbered migrations. One text serves SQLite and PostgreSQL: only portable types
/// (TEXT, BIGINT, DOUBLE PRECISION) and constraints are used; times are Unix milliseconds.
/// </summary>
public static class Schema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "tenancy, keys, edges, batches, buckets, events", BuildV1()),
        new(2, "raw sensor chunks of stations that opted in", """
            CREATE TABLE raw_chunks (edge_id TEXT NOT NULL, seq BIGINT NOT NULL, company_id TEXT NOT NULL, plant_id TEXT NOT NULL,
                line_id TEXT NOT NULL, station_id TEXT NOT NULL, first_time_utc BIGINT NOT NULL, last_time_utc BIGINT NOT NULL,
                row_count BIGINT NOT NULL, chunk TEXT NOT NULL, PRIMARY KEY (edge_id, seq));
            CREATE INDEX raw_chunks_by_station ON raw_chunks (company_id, plant_id, line_id, station_id, first_time_utc);
            """),
        new(3, "audit log of admin changes", """
            CREATE TABLE audit_log (id TEXT PRIMARY KEY, time_utc BIGINT NOT NULL, who TEXT NOT NULL, via TEXT NOT NULL,
                action TEXT NOT NULL, company_id TEXT NULL, target TEXT NOT NULL, old_value TEXT NULL, new_value TEXT NULL);
            CREATE INDEX audit_log_by_time ON audit_log (time_utc);
            """),
        .. OrleansScripts.Migrations,
        .. Alliance.AllianceSchema.Migrations,
        .. Models.ModelSchema.Migrations,
        .. Alarms.AlarmMigrations.All,
        .. Dashboard.DashboardMigrations.All,
    ];

    private static string BuildV1()
    {
        var key = """
            company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL, station_id TEXT NOT NULL,
            granularity BIGINT NOT NULL, bucket_start BIGINT NOT NULL, model_name TEXT NOT NULL, model_version TEXT NOT NULL
            """;
        var pk = string.Join(", ", BucketColumns.Key);
        var sb = new StringBuilder();
        sb.AppendLine("""
            CREATE TABLE companies (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_utc BIGINT NOT NULL);
            CREATE TABLE plants (company_id TEXT NOT NULL REFERENCES companies(id), id TEXT NOT NULL, name TEXT NOT NULL,
                created_utc BIGINT NOT NULL, PRIMARY KEY (company_id, id));
            CREATE TABLE lines (company_id TEXT NOT NULL, plant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
                created_utc BIGINT NOT NULL, PRIMARY KEY (company_id, plant_id, id),
                FOREIGN KEY (company_id, plant_id) REFERENCES plants(company_id, id));
            CREATE TABLE stations (company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL, id TEXT NOT NULL,
                name TEXT NOT NULL, created_utc BIGINT NOT NULL, PRIMARY KEY (company_id, plant_id, line_id, id),
                FOREIGN KEY (company_id, plant_id, line_id) REFERENCES lines(company_id, plant_id, id));
            CREATE TABLE edges (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, plant_id TEXT NOT NULL, name TEXT NOT NULL,
                created_utc BIGINT NOT NULL, high_water BIGINT NOT NULL DEFAULT 0, last_seen_utc BIGINT NULL,
                backlog_records BIGINT NOT NULL DEFAULT 0, backlog_bytes BIGINT NOT NULL DEFAULT 0, oldest_backlog_utc BIGINT NULL,
                dropped_oldest BIGINT NOT NULL DEFAULT 0, rejected_new BIGINT NOT NULL DEFAULT 0, quarantined BIGINT NOT NULL DEFAULT 0,
                batches BIGINT NOT NULL DEFAULT 0, records BIGINT NOT NULL DEFAULT 0, duplicate_records BIGINT NOT NULL DEFAULT 0,
                FOREIGN KEY (company_id, plant_id) REFERENCES plants(company_id, id));
            CREATE TABLE api_keys (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, role TEXT NOT NULL, company_id TEXT NULL,
                edge_id TEXT NULL, name TEXT NOT NULL, created_utc BIGINT NOT NULL, revoked_utc BIGINT NULL);
            CREATE TABLE ingest_batches (edge_id TEXT NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL,
                received_utc BIGINT NOT NULL, applied BIGINT NOT NULL, duplicates BIGINT NOT NULL,
                PRIMARY KEY (edge_id, first_seq, last_seq));
            CREATE TABLE events (edge_id TEXT NOT NULL, seq BIGINT NOT NULL, company_id TEXT NOT NULL, plant_id TEXT NOT NULL,
                line_id TEXT NOT NULL, station_id TEXT NOT NULL, time_utc BIGINT NOT NULL, kind TEXT NOT NULL,
                score DOUBLE PRECISION NOT NULL, class_name TEXT NULL, model_name TEXT NOT NULL, model_version TEXT NOT NULL,
                PRIMARY KEY (edge_id, seq));
            CREATE INDEX events_by_line ON events (company_id, plant_id, line_id, time_utc);
            """);
        sb.Append("CREATE TABLE station_buckets (").Append(key).AppendLine(",");
        sb.AppendLine("    frames BIGINT NOT NULL, pass_count BIGINT NOT NULL, fail_count BIGINT NOT NULL, anomalies BIGINT NOT NULL,");
        AppendHistogram(sb, "score", BucketColumns.Score);
        AppendHistogram(sb, "lat", BucketColumns.Latency);
        sb.Append("    PRIMARY KEY (").Append(pk).AppendLine("));");
        sb.AppendLine($"CREATE INDEX station_buckets_by_time ON station_buckets (company_id, granularity, bucket_start);");
        sb.Append("CREATE TABLE station_bucket_classes (").Append(key)
            .Append(", class_name TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (").Append(pk).AppendLine(", class_name));");
        sb.Append("CREATE TABLE station_bucket_quality (").Append(key)
            .Append(", tag TEXT NOT NULL, stale BIGINT NOT NULL, out_of_range BIGINT NOT NULL, nan BIGINT NOT NULL, gaps BIGINT NOT NULL, decode_errors BIGINT NOT NULL, PRIMARY KEY (")
            .Append(pk).AppendLine(", tag));");
        return sb.ToString();
    }

    private static void AppendHistogram(StringBuilder sb, string prefix, IReadOnlyList<string> columns)
    {
        sb.Append("    ").Append(prefix).Append("_count BIGINT NOT NULL, ").Append(prefix).Append("_sum DOUBLE PRECISION NOT NULL, ")
            .Append(prefix).Append("_min DOUBLE PRECISION NULL, ").Append(prefix).AppendLine("_max DOUBLE PRECISION NULL,");
        sb.Append("    ").AppendJoin(", ", columns.Select(c => c + " BIGINT NOT NULL")).AppendLine(",");
    }
}
