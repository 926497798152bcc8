namespace AiFactory.Hub.Ingest;

/// <summary>Size limits of one upload (configuration section <c>Hub:Ingest</c>).</summary>
public sealed class IngestLimits
{
    /// <summary>Largest body as sent (gzip or not), in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest body after gzip inflation, in bytes.</summary>
    public long MaxInflatedBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Most records in one batch.</summary>
    public int MaxRecords { get; set; } = 10_000;

    /// <summary>Largest body buffer ingest's pool keeps for reuse (<see cref="IngestBufferPool"/>); larger ones are dropped after use.</summary>
    public int PoolMaxBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>How long ingest must have read no large body before the heap is trimmed (<see cref="IngestMemoryTrimmer"/>).</summary>
    public TimeSpan TrimAfterIdle { get; set; } = TimeSpan.FromSeconds(30);
}
