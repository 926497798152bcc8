using System.Diagnostics.Metrics;

namespace AiFactory.Hub.Hosting;

/// <summary>The hub's instruments (Meter "AiFactory.Hub"): batches, records, duplicates, refusals, ingest time.</summary>
public sealed class HubMetrics : IDisposable
{
    public const string MeterName = "AiFactory.Hub";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _batches;
    private readonly Counter<long> _records;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _authFailures;
    private readonly Histogram<double> _ingestMs;
    private long _refusedTotal;
    private long _appliedTotal;

    public HubMetrics()
    {
        _batches = _meter.CreateCounter<long>("aifactory.hub.ingest.batches", description: "Batches accepted");
        _records = _meter.CreateCounter<long>("aifactory.hub.ingest.records", description: "Records applied");
        _duplicates = _meter.CreateCounter<long>("aifactory.hub.ingest.duplicates", description: "Records skipped as already applied");
        _refused = _meter.CreateCounter<long>("aifactory.hub.ingest.refused", description: "Batches refused, by HTTP status");
        _authFailures = _meter.CreateCounter<long>("aifactory.hub.auth.failures", description: "Requests refused for a missing, unknown or revoked key");
        _ingestMs = _meter.CreateHistogram<double>("aifactory.hub.ingest.duration", "ms", "Time to validate and apply one batch");
    }

    /// <summary>Batches refused since start (all statuses).</summary>
    public long RefusedTotal => Interlocked.Read(ref _refusedTotal);

    /// <summary>Records applied since start.</summary>
    public long AppliedTotal => Interlocked.Read(ref _appliedTotal);

    public void Accepted(int applied, int duplicates, double milliseconds)
    {
        _batches.Add(1);
        _records.Add(applied);
        _duplicates.Add(duplicates);
        _ingestMs.Record(milliseconds);
        Interlocked.Add(ref _appliedTotal, applied);
    }

    public void Refused(int status)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("status", status));
        Interlocked.Increment(ref _refusedTotal);
    }

    public void AuthFailed() => _authFailures.Add(1);

    public void Dispose() => _meter.Dispose();
}
