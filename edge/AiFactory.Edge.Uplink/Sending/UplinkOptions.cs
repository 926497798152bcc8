namespace AiFactory.Edge.Uplink.Sending;

/// <summary>Where the hub is, who this edge is, how big a batch may grow and how long to wait between failed attempts.</summary>
public sealed class UplinkOptions
{
    /// <summary>The hub's base address, e.g. http://127.0.0.1:5080/ (the client posts to api/v1/ingest under it).</summary>
    public required Uri HubUrl { get; init; }

    /// <summary>The edge's API key (sent as a bearer token).</summary>
    public required string ApiKey { get; init; }

    public required string EdgeId { get; init; }

    public int MaxBatchRecords { get; init; } = 500;

    /// <summary>Most JSON payload bytes per batch before gzip (the hub limits bodies to 8 MiB inflated).</summary>
    public long MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>First retry delay bound; each failure doubles it up to <see cref="BackoffCap"/>, and the actual delay is drawn uniformly below it.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an empty outbox is looked at again.</summary>
    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While backing off after the hub was unreachable or answered 5xx, how often to ask its /health/live (a cheap GET)
    /// whether it answers again; when it does, the next batch goes at once instead of at the end of a backoff that may
    /// have grown to <see cref="BackoffCap"/>. Zero turns probing off.
    /// </summary>
    public TimeSpan HealthProbe { get; init; } = TimeSpan.FromSeconds(5);

    public Uri IngestUrl => new(HubUrl, "api/v1/ingest");

    public Uri HealthUrl => new(HubUrl, "health/live");
}
