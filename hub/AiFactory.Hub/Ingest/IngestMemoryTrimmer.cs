using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Once ingest has been free of large bodies for <see cref="IngestLimits.TrimAfterIdle"/> after reading some, runs one
/// compacting, aggressive full collection (large-object heap included), so the memory a burst of big bodies or gzip
/// bombs took goes back to the system instead of staying resident while the hub idles.
/// </summary>
public sealed partial class IngestMemoryTrimmer(IngestBufferPool pool, IOptions<HubOptions> options, TimeProvider time, ILogger<IngestMemoryTrimmer> logger) : BackgroundService
{
    private DateTimeOffset? _trimmedFor;

    /// <summary>Trims done since start.</summary>
    public int Trims { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = options.Value.Ingest.TrimAfterIdle;
        using var timer = new PeriodicTimer(idle / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                TrimIfIdle(idle);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void TrimIfIdle(TimeSpan idle)
    {
        if (pool.LastLargeBuffer is not { } last || last == _trimmedFor || time.GetUtcNow() - last < idle)
        {
            return;
        }

        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _trimmedFor = last;
        Trims++;
        LogTrimmed(logger, before / 1048576, Environment.WorkingSet / 1048576, pool.LargeBuffers);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest idle after large bodies: trimmed the heap, working set {BeforeMiB} MiB → {AfterMiB} MiB ({Large} large buffers since start)")]
    private static partial void LogTrimmed(ILogger logger, long beforeMiB, long afterMiB, long large);
}
