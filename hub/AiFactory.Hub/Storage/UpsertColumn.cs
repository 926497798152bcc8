namespace AiFactory.Hub.Storage;

/// <summary>A column of a <see cref="BulkUpsert"/>: its SQL name, its value type and how a conflicting row merges it.</summary>
public sealed record UpsertColumn(string Name, UpsertType Type, UpsertMerge Merge);
