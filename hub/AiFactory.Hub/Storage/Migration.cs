namespace AiFactory.Hub.Storage;

/// <summary>One numbered schema change.</summary>
public sealed record Migration(int Version, string Description, string Sql);
