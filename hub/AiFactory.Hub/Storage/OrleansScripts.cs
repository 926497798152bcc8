namespace AiFactory.Hub.Storage;

/// <summary>
/// The SQL scripts that the Orleans ADO.NET providers of the release we run expect (Main: the query table;
/// Clustering: the membership tables and queries; Persistence: grain state), shipped unchanged as embedded
/// resources from <c>Storage/Orleans/</c> and applied by <see cref="Migrator"/> on PostgreSQL. They are numbered
/// from 101 so that the hub's own migrations keep 1, 2, 3… whatever Orleans adds.
/// </summary>
public static class OrleansScripts
{
    /// <summary>The Microsoft.Orleans.* package version these scripts belong to (Directory.Packages.props).</summary>
    public const string Release = "10.4.2";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(101, $"Orleans {Release} ADO.NET query table (PostgreSQL-Main.sql)", Read("PostgreSQL-Main.sql"), DatabaseProvider.PostgreSql),
        new(102, $"Orleans {Release} clustering (PostgreSQL-Clustering.sql)", Read("PostgreSQL-Clustering.sql"), DatabaseProvider.PostgreSql),
        new(103, $"Orleans {Release} grain persistence (PostgreSQL-Persistence.sql)", Read("PostgreSQL-Persistence.sql"), DatabaseProvider.PostgreSql),
    ];

    /// <summary>The text of one embedded script, by file name.</summary>
    public static string Read(string fileName)
    {
        var name = $"{typeof(OrleansScripts).Namespace}.Orleans.{fileName}";
        using var stream = typeof(OrleansScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Orleans script '{fileName}' is not embedded in {typeof(OrleansScripts).Assembly.GetName().Name} (resource '{name}')");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
