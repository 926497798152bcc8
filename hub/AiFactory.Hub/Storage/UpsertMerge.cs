namespace AiFactory.Hub.Storage;

/// <summary>What happens to a column when the row already exists.</summary>
public enum UpsertMerge
{
    /// <summary>Part of the conflict key.</summary>
    Key,

    /// <summary>Existing + new.</summary>
    Add,

    /// <summary>The smaller of existing and new (nulls ignored).</summary>
    Min,

    /// <summary>The larger of existing and new (nulls ignored).</summary>
    Max,

    /// <summary>The existing row stays as it is (insert-or-ignore).</summary>
    Keep,
}
