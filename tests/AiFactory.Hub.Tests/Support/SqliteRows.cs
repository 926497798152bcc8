using Microsoft.Data.Sqlite;

namespace AiFactory.Hub.Tests.Support;

/// <summary>Reads rows straight from a hub's SQLite file (read-only, beside the running hub), for what the API does not show.</summary>
internal static class SqliteRows
{
    public static async Task<T[]> ReadAsync<T>(string database, string sql, Func<SqliteDataReader, T> read)
    {
        await using var c = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return [.. rows];
    }
}
