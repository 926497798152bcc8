using AiFactory.Contracts;
using AiFactory.Edge.Uplink.Outbox;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Uplink.Sending;

/// <summary>
/// One step of draining the outbox: the oldest batch goes to the hub and is deleted only once the hub's ack
/// covers it. A 413 splits the batch in halves, sent in order; a 400 splits it the same way until the refused
/// record stands alone, which then moves to the dead-letter table (counted, kept, logged). Halves go strictly in
/// sequence order and the first failure stops the step, so the hub's high-water mark never passes a record
/// still waiting here.
/// </summary>
public sealed class UplinkSender(OutboxStore outbox, UplinkClient client, UplinkOptions options, UplinkMetrics metrics, ILogger log, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly string _hub = client.IngestUrl.ToString();

    // Payload bytes of the records of the step under way, by sequence: what the outbox report leaves out for each batch.
    private readonly Dictionary<long, int> _payloadBytes = [];

    public OutboxStore Outbox => outbox;

    /// <summary>Whether the hub answers its health probe now (<see cref="UplinkClient.ProbeAsync"/>).</summary>
    public Task<bool> HubAnswersAsync(TimeSpan timeout, CancellationToken cancellationToken) => client.ProbeAsync(timeout, cancellationToken);

    public async Task<UplinkStep> SendNextAsync(CancellationToken cancellationToken)
    {
        var entries = outbox.Peek(options.MaxBatchRecords, options.MaxBatchBytes);
        if (entries.Count == 0)
        {
            return UplinkStep.Idle;
        }

        var records = new List<UplinkRecord>(entries.Count);
        var deadLettered = 0;
        _payloadBytes.Clear();
        foreach (var entry in entries)
        {
            if (OutboxPayload.Decode(entry, out var problem) is { } record)
            {
                records.Add(record);
                _payloadBytes[entry.Sequence] = entry.Payload.Length;
            }
            else if (outbox.DeadLetter(entry.Sequence, $"unreadable in the outbox: {problem}"))
            {
                metrics.OnDeadLettered();
                deadLettered++;
            }
        }

        var step = records.Count == 0 ? new UplinkStep(UplinkStepKind.Progress, 0, 0, null) : await SendAsync(records, cancellationToken).ConfigureAwait(false);
        return step with { DeadLettered = step.DeadLettered + deadLettered };
    }

    private async Task<UplinkStep> SendAsync(List<UplinkRecord> records, CancellationToken cancellationToken)
    {
        var first = records[0].Sequence;
        var last = records[^1].Sequence;
        var batch = new UplinkBatch(options.EdgeId, first, last, _time.GetUtcNow(), records, WaitingBesides(records));
        outbox.MarkSent(last);
        metrics.OnSent(records.Count);
        var response = await client.SendAsync(batch, cancellationToken).ConfigureAwait(false);
        switch (response.Kind)
        {
            case UplinkResponseKind.Acked:
                return Acked(response, records);
            case UplinkResponseKind.TooLarge or UplinkResponseKind.Rejected when records.Count > 1:
                if (response.Kind == UplinkResponseKind.TooLarge)
                {
                    UplinkLog.Splitting(log, _hub, first, last);
                }

                var mid = records.Count / 2;
                var left = await SendAsync(records[..mid], cancellationToken).ConfigureAwait(false);
                if (left.Kind == UplinkStepKind.Failed)
                {
                    return left;
                }

                var right = await SendAsync(records[mid..], cancellationToken).ConfigureAwait(false);
                return right with { Acked = left.Acked + right.Acked, DeadLettered = left.DeadLettered + right.DeadLettered };
            case UplinkResponseKind.TooLarge or UplinkResponseKind.Rejected:
                var why = response.Kind == UplinkResponseKind.TooLarge
                    ? $"the hub refuses it as too large even alone (413: {response.Detail})"
                    : $"the hub refuses it (400: {response.Detail})";
                var moved = outbox.DeadLetter(first, why);
                if (moved)
                {
                    metrics.OnDeadLettered();
                }

                return new UplinkStep(UplinkStepKind.Progress, 0, moved ? 1 : 0, null);
            default:
                metrics.OnFailed(response.Kind);
                return new UplinkStep(UplinkStepKind.Failed, 0, 0, response);
        }
    }

    /// <summary>
    /// The outbox as it will stand once this batch is acknowledged: what waits besides it. Reporting the batch itself
    /// would leave the hub showing the last batch as backlog after the outbox drained.
    /// </summary>
    private OutboxReport WaitingBesides(List<UplinkRecord> records)
    {
        var report = outbox.Report();
        long bytes = 0;
        foreach (var r in records)
        {
            bytes += _payloadBytes.GetValueOrDefault(r.Sequence);
        }

        var waiting = Math.Max(0, report.BacklogRecords - records.Count);
        return report with
        {
            BacklogRecords = waiting,
            BacklogBytes = waiting == 0 ? 0 : Math.Max(0, report.BacklogBytes - bytes),
            OldestRecordUtc = waiting == 0 ? null : report.OldestRecordUtc,
        };
    }

    private UplinkStep Acked(UplinkResponse response, List<UplinkRecord> records)
    {
        var ack = response.Ack!;
        var first = records[0].Sequence;
        var last = records[^1].Sequence;
        if (ack.LastSequence < last)
        {
            // The hub says it holds less than this batch: keep what it does not confirm and try again later.
            var confirmed = ack.LastSequence >= first ? outbox.DeleteUpTo(ack.LastSequence) : 0;
            metrics.OnAcked(confirmed);
            metrics.OnFailed(UplinkResponseKind.Unexpected);
            return new UplinkStep(UplinkStepKind.Failed, confirmed, 0, new UplinkResponse(UplinkResponseKind.Unexpected, 200, ack, $"the hub acknowledged batch {first}..{last} only up to {ack.LastSequence}"));
        }

        var deleted = outbox.DeleteUpTo(last);
        metrics.OnAcked(deleted);
        UplinkLog.Acked(log, _hub, records.Count, first, last, ack.Applied, ack.Duplicates);
        if (ack.LastSequence >= outbox.Counters.NextSequence)
        {
            outbox.RaiseNextSequence(ack.LastSequence + 1, ack.LastSequence);
        }

        return new UplinkStep(UplinkStepKind.Progress, deleted, 0, null);
    }
}
