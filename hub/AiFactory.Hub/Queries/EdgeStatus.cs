namespace AiFactory.Hub.Queries;

/// <summary>An edge's liveness and outbox as last reported.</summary>
public sealed record EdgeStatus(
    string EdgeId,
    string Name,
    string PlantId,
    bool Online,
    DateTimeOffset? LastSeenUtc,
    long LastSequence,
    long Batches,
    long Records,
    long DuplicateRecords,
    long BacklogRecords,
    long BacklogBytes,
    DateTimeOffset? OldestBacklogUtc,
    long DroppedOldest,
    long RejectedNew,
    long Quarantined);
