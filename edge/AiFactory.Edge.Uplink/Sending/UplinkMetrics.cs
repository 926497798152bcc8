using System.Diagnostics.Metrics;
using AiFactory.Edge.Uplink.Outbox;

namespace AiFactory.Edge.Uplink.Sending;

/// <summary>
/// The uplink on the <see cref="MeterName"/> meter, tagged with the edge id: records sent, acknowledged and
/// dead-lettered, failed batches by reason, and the outbox's backlog, drops and refusals as observable values.
/// </summary>
public sealed class UplinkMetrics : IDisposable
{
    public const string MeterName = "AiFactory.Edge.Uplink";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _sent;
    private readonly Counter<long> _acked;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _failed;
    private readonly KeyValuePair<string, object?> _edge;
    private long _sentTotal;
    private long _ackedTotal;
    private long _failedTotal;

    public UplinkMetrics(string edgeId, OutboxStore outbox)
    {
        _edge = new KeyValuePair<string, object?>("edge", edgeId);
        _sent = _meter.CreateCounter<long>("aifactory.uplink.records_sent", "{record}");
        _acked = _meter.CreateCounter<long>("aifactory.uplink.records_acked", "{record}");
        _deadLettered = _meter.CreateCounter<long>("aifactory.uplink.records_dead_lettered", "{record}");
        _failed = _meter.CreateCounter<long>("aifactory.uplink.batches_failed", "{batch}");
        _meter.CreateObservableGauge("aifactory.outbox.backlog_records", () => new Measurement<long>(outbox.Counters.BacklogRecords, _edge), "{record}");
        _meter.CreateObservableGauge("aifactory.outbox.backlog_bytes", () => new Measurement<long>(outbox.Counters.BacklogBytes, _edge), "By");
        _meter.CreateObservableCounter("aifactory.outbox.dropped_oldest", () => new Measurement<long>(outbox.Counters.DroppedOldest, _edge), "{record}");
        _meter.CreateObservableCounter("aifactory.outbox.rejected_new", () => new Measurement<long>(outbox.Counters.RejectedNew, _edge), "{record}");
    }

    public long Sent => Interlocked.Read(ref _sentTotal);

    public long Acked => Interlocked.Read(ref _ackedTotal);

    public long FailedBatches => Interlocked.Read(ref _failedTotal);

    public void OnSent(int records)
    {
        Interlocked.Add(ref _sentTotal, records);
        _sent.Add(records, _edge);
    }

    public void OnAcked(int records)
    {
        Interlocked.Add(ref _ackedTotal, records);
        _acked.Add(records, _edge);
    }

    public void OnDeadLettered() => _deadLettered.Add(1, _edge);

    public void OnFailed(UplinkResponseKind kind)
    {
        Interlocked.Increment(ref _failedTotal);
        _failed.Add(1, _edge, new KeyValuePair<string, object?>("reason", kind.ToString()));
    }

    public void Dispose() => _meter.Dispose();
}
