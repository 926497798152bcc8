namespace AiFactory.Hub.Storage;

/// <summary>The databases the hub runs on; both share one schema.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, no server.</summary>
    Sqlite,

    /// <summary>PostgreSQL through Npgsql: the store for several replicas.</summary>
    PostgreSql,
}
