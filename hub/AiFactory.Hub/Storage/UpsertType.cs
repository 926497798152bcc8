namespace AiFactory.Hub.Storage;

/// <summary>The value types a <see cref="BulkUpsert"/> column carries.</summary>
public enum UpsertType
{
    Text,
    NullableText,
    Long,
    Double,
    NullableDouble,
}
