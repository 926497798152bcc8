using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Models;

/// <summary>
/// The registry's tables (migrations 220–239 are this part's). A package's files are stored in the database, not on a
/// silo's disk: every hub replica behind the load balancer must serve every package, packages are small (kilobytes to a
/// few megabytes) and immutable, and one transaction then writes a package's metadata and files together. The file
/// column is SQLite's BLOB and PostgreSQL's BYTEA, so that table has one migration per database. Deployments
/// (<c>Deployments/</c>) keep their history and each station's production package here too.
/// </summary>
public static class ModelSchema
{
    private const string Tables = """
        CREATE TABLE signing_keys (company_id TEXT NOT NULL REFERENCES companies(id), key_id TEXT NOT NULL, name TEXT NOT NULL,
            public_key TEXT NOT NULL, created_utc BIGINT NOT NULL, created_by TEXT NOT NULL, revoked_utc BIGINT NULL,
            PRIMARY KEY (company_id, key_id));
        CREATE TABLE model_packages (company_id TEXT NOT NULL REFERENCES companies(id), package_id TEXT NOT NULL, name TEXT NOT NULL,
            version TEXT NOT NULL, task TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, manifest TEXT NOT NULL,
            card TEXT NOT NULL, size_bytes BIGINT NOT NULL, created_utc BIGINT NOT NULL, created_by TEXT NOT NULL,
            PRIMARY KEY (company_id, package_id), UNIQUE (company_id, name, version));
        """;

    private const string Files = """
        CREATE TABLE model_files (company_id TEXT NOT NULL, package_id TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
            content {0} NOT NULL, PRIMARY KEY (company_id, package_id, file_name));
        """;

    private const string Deployments = """
        ALTER TABLE model_packages ADD COLUMN latency_p99_ms DOUBLE PRECISION NULL;
        CREATE TABLE deployments (company_id TEXT NOT NULL REFERENCES companies(id), id TEXT NOT NULL, model_name TEXT NOT NULL,
            package_id TEXT NOT NULL, version TEXT NOT NULL, strategy TEXT NOT NULL, share DOUBLE PRECISION NOT NULL, targets TEXT NOT NULL,
            stations TEXT NOT NULL, rules TEXT NOT NULL, state TEXT NOT NULL, reason TEXT NULL, created_utc BIGINT NOT NULL,
            created_by TEXT NOT NULL, ended_utc BIGINT NULL, PRIMARY KEY (company_id, id));
        CREATE INDEX deployments_by_model ON deployments (company_id, model_name, created_utc);
        CREATE TABLE station_models (company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL, station_id TEXT NOT NULL,
            model_name TEXT NOT NULL, package_id TEXT NOT NULL, previous_package_id TEXT NULL, deployment_id TEXT NOT NULL,
            PRIMARY KEY (company_id, plant_id, line_id, station_id, model_name));
        """;

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(220, "model registry: signing keys and packages", Tables),
        new(221, "model registry: package files (SQLite)", string.Format(System.Globalization.CultureInfo.InvariantCulture, Files, "BLOB"), DatabaseProvider.Sqlite),
        new(222, "model registry: package files (PostgreSQL)", string.Format(System.Globalization.CultureInfo.InvariantCulture, Files, "BYTEA"), DatabaseProvider.PostgreSql),
        new(223, "deployments: history, each station's production package, the cards' latency limit", Deployments),
    ];
}
