using Npgsql;

namespace AiFactory.Testing;

/// <summary>
/// A fresh database on the test PostgreSQL (AIFACTORY_TEST_POSTGRES, from deploy/services/postgresql.sh), dropped on
/// dispose; <see cref="PostgresControl"/> stops and starts the whole server on the same port.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private static readonly string? Admin = Environment.GetEnvironmentVariable("AIFACTORY_TEST_POSTGRES");

    private PostgresDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>Why PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? Missing => Admin is null
        ? "AIFACTORY_TEST_POSTGRES is not set: run the suite with `bash deploy/test.sh`, which starts PostgreSQL on 127.0.0.1"
        : null;

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = Admin ?? throw new InvalidOperationException(Missing);
        var name = "aif_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 50 };
        return new PostgresDatabase(name, builder.ToString());
    }

    /// <summary>Runs the server's control script with stop, start or restart (see <see cref="PostgresControl"/>).</summary>
    public static Task RestartServerAsync(string verb = "restart") => PostgresControl.RunAsync(verb);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var c = new NpgsqlConnection(Admin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The server may be down in a restart test; the whole cluster goes with the test run's temp folder.
        }
    }
}
