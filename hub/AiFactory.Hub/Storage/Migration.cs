namespace AiFactory.Hub.Storage;

/// <summary>
/// One numbered schema change. <paramref name="Provider"/> names the only database it runs on (null: every one); on
/// the others it is recorded as applied without running, so every database reaches the same version.
/// </summary>
public sealed record Migration(int Version, string Description, string Sql, DatabaseProvider? Provider = null);
