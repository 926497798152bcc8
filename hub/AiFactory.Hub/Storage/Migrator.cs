using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Storage;

/// <summary>
/// Applies <see cref="Schema.Migrations"/> not yet recorded in <c>schema_migrations</c>, each in its own transaction.
/// On PostgreSQL an advisory lock makes replicas that start together take turns.
/// </summary>
public sealed partial class Migrator(HubDatabase database, ILogger<Migrator> logger)
{
    private const long AdvisoryLockKey = 0x41694661_63746f72; // "AiFactor"

    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                if (database.Provider == DatabaseProvider.PostgreSql)
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@k)", new { k = AdvisoryLockKey }, transaction).ConfigureAwait(false);
                }

                await connection.ExecuteAsync(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_utc BIGINT NOT NULL)",
                    transaction: transaction).ConfigureAwait(false);
                var done = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: transaction).ConfigureAwait(false)).ToHashSet();
                foreach (var migration in Schema.Migrations.Where(m => !done.Contains(m.Version)).OrderBy(m => m.Version))
                {
                    if (migration.Provider is { } only && only != database.Provider)
                    {
                        LogSkipped(migration.Version, migration.Description, only);
                    }
                    else
                    {
                        await ExecuteScriptAsync(connection, transaction, migration.Sql, database.Provider).ConfigureAwait(false);
                    }

                    await connection.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, description, applied_utc) VALUES (@v, @d, @t)",
                        new { v = (long)migration.Version, d = migration.Description, t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                        transaction).ConfigureAwait(false);
                    LogApplied(migration.Version, migration.Description, database.Describe());
                    applied++;
                }

                return applied;
            },
            cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>The highest applied version, or 0 when the schema is missing.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (int)await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").ConfigureAwait(false);
        }
        catch (DbException)
        {
            return 0;
        }
    }

    public static int LatestVersion => Schema.Migrations.Max(m => m.Version);

    private static async Task ExecuteScriptAsync(DbConnection connection, DbTransaction transaction, string sql, DatabaseProvider provider)
    {
        // Microsoft.Data.Sqlite runs a script of several statements too; a trigger's body holds semicolons of its own.
        if (provider == DatabaseProvider.PostgreSql || sql.Contains("CREATE TRIGGER", StringComparison.Ordinal))
        {
            // Npgsql splits a script into statements itself, keeping quoted texts and $func$ bodies (Orleans' scripts
            // hold both, with semicolons inside) whole.
            await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
            return;
        }

        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await connection.ExecuteAsync(statement, transaction: transaction).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded schema migration {Version} ({Description}) without running it: it is for {Provider} only")]
    private partial void LogSkipped(int version, string description, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Description}) to {Database}")]
    private partial void LogApplied(int version, string description, string database);
}
