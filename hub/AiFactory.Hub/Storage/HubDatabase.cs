using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AiFactory.Hub.Storage;

/// <summary>
/// Opens connections to the hub's database and hides the few places where SQLite and PostgreSQL differ
/// (row locks, scalar min/max). SQLite allows one writer at a time: writes in this process queue on a
/// semaphore instead of failing with SQLITE_BUSY.
/// </summary>
public sealed class HubDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    public HubDatabase(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
            _connectionString = builder.ToString();
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        else
        {
            _connectionString = connectionString;
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>"LEAST" or "MIN": the scalar two-argument minimum of the dialect.</summary>
    public string Least => Provider == DatabaseProvider.PostgreSql ? "LEAST" : "MIN";

    /// <summary>"GREATEST" or "MAX": the scalar two-argument maximum of the dialect.</summary>
    public string Greatest => Provider == DatabaseProvider.PostgreSql ? "GREATEST" : "MAX";

    /// <summary>" FOR UPDATE" on PostgreSQL; nothing on SQLite, whose write transaction already excludes others.</summary>
    public string ForUpdate => Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE" : string.Empty;

    /// <summary>A short description without secrets, for logs and health output.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return $"SQLite {new SqliteConnectionStringBuilder(_connectionString).DataSource}";
        }

        var b = new NpgsqlConnectionStringBuilder(_connectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it; rolls back on any exception.
    /// On SQLite the transaction starts IMMEDIATE and writers in this process take turns.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(work, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex) when (attempt < 5 && ex.SqlState is "40P01" or "40001")
            {
                // Deadlock or serialization failure: PostgreSQL rolled the transaction back; it is safe to run again.
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> over one consistent snapshot of the database (several reads that see the same
    /// commits): REPEATABLE READ on PostgreSQL, a deferred (read) transaction on SQLite, whose WAL keeps its snapshot.
    /// </summary>
    public async Task<T> ReadSnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = Provider == DatabaseProvider.Sqlite
            ? ((SqliteConnection)connection).BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<T> WriteOnceAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var sqlite = Provider == DatabaseProvider.Sqlite;
        if (sqlite)
        {
            await _sqliteWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = sqlite
                ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (sqlite)
            {
                _sqliteWriter.Release();
            }
        }
    }

    public void Dispose()
    {
        _postgres?.Dispose();
        _sqliteWriter.Dispose();
    }
}
