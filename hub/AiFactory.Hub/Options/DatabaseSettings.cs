using AiFactory.Hub.Storage;

namespace AiFactory.Hub;

/// <summary>Where the hub keeps its data (section <c>Hub:Database</c>).</summary>
public sealed class DatabaseSettings
{
    /// <summary><c>Sqlite</c> (default, embedded) or <c>PostgreSql</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Microsoft.Data.Sqlite or Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/hub.db";
}
