using AiFactory.Contracts;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Checks an upload before anything is written: its shape (400, naming the field), and that the edge's key owns
/// every company, plant, line and station the batch names (403).
/// </summary>
public static class BatchValidator
{
    private const int MaxText = 128;

    // Every check builds its message only when it fails: a valid batch of 10,000 records allocates nothing here.
    public static void CheckShape(UplinkBatch batch, int maxRecords)
    {
        Require(batch.Records is not null, "records is missing.");
        Require(batch.Outbox is not null, "outbox is missing.");
        Id(batch.EdgeId, "edgeId", null, -1);
        if (batch.Records!.Count > maxRecords)
        {
            Fail($"records has {batch.Records.Count} entries; at most {maxRecords} are accepted in one batch.");
        }

        if (batch.Records.Count == 0)
        {
            Require(batch.FirstSequence == 0 && batch.LastSequence == 0, "a batch without records must have firstSequence and lastSequence 0.");
        }
        else
        {
            if (batch.FirstSequence != batch.Records[0]?.Sequence)
            {
                Fail($"firstSequence {batch.FirstSequence} is not the first record's sequence.");
            }

            if (batch.LastSequence != batch.Records[^1]?.Sequence)
            {
                Fail($"lastSequence {batch.LastSequence} is not the last record's sequence.");
            }
        }

        var previous = 0L;
        for (var i = 0; i < batch.Records.Count; i++)
        {
            var record = batch.Records[i];
            if (record is null)
            {
                Fail($"records[{i}] is null.");
            }

            if (record!.Sequence <= 0)
            {
                Fail($"records[{i}].sequence {record.Sequence} must be positive.");
            }

            if (record.Sequence <= previous)
            {
                Fail($"records[{i}].sequence {record.Sequence} does not increase (previous {previous}).");
            }

            previous = record.Sequence;
            if ((record.Summary is null ? 0 : 1) + (record.Event is null ? 0 : 1) + (record.Raw is null ? 0 : 1) != 1)
            {
                Fail($"records[{i}] must carry exactly one of summary, event and raw.");
            }

            if (record.Summary is { } s)
            {
                CheckSummary(i, s, batch.EdgeId);
            }
            else if (record.Raw is { } raw)
            {
                CheckRaw(i, raw);
            }
            else
            {
                CheckEvent(i, record.Event!);
            }
        }

        var o = batch.Outbox!;
        Require(o.BacklogRecords >= 0 && o.BacklogBytes >= 0 && o.DroppedOldest >= 0 && o.RejectedNew >= 0 && o.Quarantined >= 0, "outbox counters must not be negative.");
        Require(
            o.BacklogRecords <= WireLimits.MaxCount && o.BacklogBytes <= WireLimits.MaxCount && o.DroppedOldest <= WireLimits.MaxCount
                && o.RejectedNew <= WireLimits.MaxCount && o.Quarantined <= WireLimits.MaxCount,
            $"outbox counters must not exceed {WireLimits.MaxCount} (AiFactory.Contracts.WireLimits.MaxCount).");
    }

    /// <summary>Refuses (403) a batch from another edge or naming anything outside the key's plant.</summary>
    public static void CheckOwnership(UplinkBatch batch, HubCaller edge, ISet<(string Line, string Station)> registered)
    {
        if (!string.Equals(batch.EdgeId, edge.EdgeId, StringComparison.Ordinal))
        {
            throw HubProblemException.Forbidden($"batch edgeId '{batch.EdgeId}' is not the edge of this key ('{edge.EdgeId}').");
        }

        for (var i = 0; i < batch.Records.Count; i++)
        {
            var r = batch.Records[i];
            var (company, plant, line, station) = Place(r);
            if (!string.Equals(company, edge.CompanyId, StringComparison.Ordinal) || !string.Equals(plant, edge.PlantId, StringComparison.Ordinal))
            {
                throw HubProblemException.Forbidden(
                    $"records[{i}] names company '{company}', plant '{plant}', but edge '{edge.EdgeId}' is bound to company '{edge.CompanyId}', plant '{edge.PlantId}'.");
            }

            if (!registered.Contains((line, station)))
            {
                throw HubProblemException.Forbidden(
                    $"records[{i}] names station '{station}' on line '{line}', which is not registered in plant '{plant}'; register it first (admin API).");
            }
        }
    }

    /// <summary>The company, plant, line and station a (shape-checked) record names.</summary>
    public static (string Company, string Plant, string Line, string Station) Place(UplinkRecord r) =>
        r.Summary is { } s ? (s.CompanyId, s.PlantId, s.LineId, s.StationId)
        : r.Raw is { } raw ? (raw.CompanyId, raw.PlantId, raw.LineId, raw.StationId)
        : (r.Event!.CompanyId, r.Event.PlantId, r.Event.LineId, r.Event.StationId);

    /// <summary>Raw values of an opted-in station: its place, 1–256 tags, 1–10,000 rows of one value (or null) per tag.</summary>
    private static void CheckRaw(int i, StationRawChunk raw)
    {
        const string Part = "raw";
        PlaceText(i, Part, raw.CompanyId, raw.PlantId, raw.LineId, raw.StationId);
        if (raw.Tags is not { Count: >= 1 and <= 256 })
        {
            Fail($"records[{i}].raw.tags must list 1 to 256 tags.");
        }

        foreach (var tag in raw.Tags)
        {
            Text(tag, "tags entry", Part, i);
        }

        if (raw.Rows is not { Count: >= 1 and <= 10_000 })
        {
            Fail($"records[{i}].raw.rows must hold 1 to 10000 rows.");
        }

        for (var r = 0; r < raw.Rows.Count; r++)
        {
            var row = raw.Rows[r];
            if (row?.Values is null || row.Values.Count != raw.Tags.Count)
            {
                Fail($"records[{i}].raw.rows[{r}] must hold one value per tag ({raw.Tags.Count}); it holds {row?.Values?.Count ?? 0}.");
            }

            if (row.Time.Year is < 2000 or > 2200)
            {
                Fail($"records[{i}].raw.rows[{r}].time {row.Time:O} is not a plausible time.");
            }
        }
    }

    private static void CheckSummary(int i, StationWindowSummary s, string edgeId)
    {
        const string Part = "summary";
        if (!string.Equals(s.EdgeId, edgeId, StringComparison.Ordinal))
        {
            Fail($"records[{i}].summary.edgeId '{s.EdgeId}' is not the batch's edge '{edgeId}'.");
        }

        PlaceText(i, Part, s.CompanyId, s.PlantId, s.LineId, s.StationId);
        Id(s.ModelName, "modelName", Part, i);
        Text(s.ModelVersion, "modelVersion", Part, i);
        if (s.WindowEndUtc <= s.WindowStartUtc)
        {
            Fail($"records[{i}].summary: windowEndUtc must be after windowStartUtc.");
        }

        if (s.WindowStartUtc.Year is < 2000 or > 2200)
        {
            Fail($"records[{i}].summary.windowStartUtc {s.WindowStartUtc:O} is not a plausible time.");
        }

        if (s.WindowEndUtc - s.WindowStartUtc > TimeSpan.FromDays(1))
        {
            Fail($"records[{i}].summary: the window from {s.WindowStartUtc:O} to {s.WindowEndUtc:O} is longer than a day.");
        }

        Count(i, "framesScored", s.FramesScored);
        Count(i, "passCount", s.PassCount);
        Count(i, "failCount", s.FailCount);
        Count(i, "anomalyCount", s.AnomalyCount);

        // Each is at most WireLimits.MaxCount, so the sum cannot wrap; checked all the same.
        var verdicts = checked(s.PassCount + s.FailCount);
        if (verdicts > s.FramesScored)
        {
            Fail($"records[{i}].summary: passCount + failCount ({verdicts}) exceeds framesScored ({s.FramesScored}).");
        }

        if (s.AnomalyCount > s.FramesScored)
        {
            Fail($"records[{i}].summary: anomalyCount ({s.AnomalyCount}) exceeds framesScored ({s.FramesScored}).");
        }

        if (s.ClassCounts is null || s.DataQuality is null)
        {
            Fail($"records[{i}].summary: classCounts and dataQuality are required (may be empty).");
        }

        foreach (var (name, count) in s.ClassCounts!)
        {
            Text(name, "classCounts key", Part, i);
            if (count < 0)
            {
                Fail($"records[{i}].summary.classCounts['{name}'] is negative.");
            }

            if (count > s.FramesScored)
            {
                Fail($"records[{i}].summary.classCounts['{name}'] ({count}) exceeds framesScored ({s.FramesScored}).");
            }
        }

        foreach (var q in s.DataQuality!)
        {
            if (q is null)
            {
                Fail($"records[{i}].summary.dataQuality holds a null entry.");
            }

            Text(q.Tag, "dataQuality.tag", Part, i);
            if (q.Stale < 0 || q.OutOfRange < 0 || q.NaN < 0 || q.Gaps < 0 || q.DecodeErrors < 0)
            {
                Fail($"records[{i}].summary.dataQuality['{q.Tag}'] has a negative counter.");
            }

            if (q.Stale > WireLimits.MaxCount || q.OutOfRange > WireLimits.MaxCount || q.NaN > WireLimits.MaxCount || q.Gaps > WireLimits.MaxCount || q.DecodeErrors > WireLimits.MaxCount)
            {
                Fail($"records[{i}].summary.dataQuality['{q.Tag}'] has a counter above {WireLimits.MaxCount} (AiFactory.Contracts.WireLimits.MaxCount).");
            }
        }

        Histogram(i, "scores", s.Scores, StandardHistograms.ScoreBounds);
        Histogram(i, "latencyMs", s.LatencyMs, StandardHistograms.LatencyMsBounds);
    }

    private static void CheckEvent(int i, StationEvent e)
    {
        const string Part = "event";
        PlaceText(i, Part, e.CompanyId, e.PlantId, e.LineId, e.StationId);
        Id(e.ModelName, "modelName", Part, i);
        Text(e.ModelVersion, "modelVersion", Part, i);
        if (e.Kind is not ("defect" or "anomaly"))
        {
            Fail($"records[{i}].event.kind '{e.Kind}' must be 'defect' or 'anomaly'.");
        }

        if (!double.IsFinite(e.Score) || Math.Abs(e.Score) > WireLimits.MaxValue)
        {
            Fail($"records[{i}].event.score {e.Score} must be a finite number within ±{WireLimits.MaxValue:0e0} (AiFactory.Contracts.WireLimits.MaxValue).");
        }

        if (e.TimeUtc.Year is < 2000 or > 2200)
        {
            Fail($"records[{i}].event.timeUtc {e.TimeUtc:O} is not a plausible time.");
        }

        if (e.Kind == "defect" && string.IsNullOrEmpty(e.Class))
        {
            Fail($"records[{i}].event: a defect event needs a class.");
        }

        if (e.Class is not null)
        {
            Text(e.Class, "class", Part, i);
        }
    }

    /// <summary>The standard bounds, one more count than bounds, no negative count, counts adding up to count, min ≤ max.</summary>
    private static void Histogram(int i, string name, HistogramData? h, IReadOnlyList<double> bounds)
    {
        if (h is null)
        {
            Fail($"records[{i}].summary.{name} is missing.");
        }

        if (h!.Counts is null)
        {
            Fail($"records[{i}].summary.{name}.counts is missing.");
        }

        if (h.Bounds is null || !StandardHistograms.SameBounds(h.Bounds, bounds))
        {
            Fail($"records[{i}].summary.{name}.bounds are not the standard bounds (AiFactory.Contracts.StandardHistograms).");
        }

        var counts = h.Counts!;
        if (counts.Count != bounds.Count + 1)
        {
            Fail($"records[{i}].summary.{name}: histogram has {counts.Count} counts for {bounds.Count} bounds; expected {bounds.Count + 1}.");
        }

        long total = 0;
        for (var c = 0; c < counts.Count; c++)
        {
            if (counts[c] < 0)
            {
                Fail($"records[{i}].summary.{name}: histogram count {c} is negative ({counts[c]}).");
            }

            if (counts[c] > WireLimits.MaxCount)
            {
                Fail($"records[{i}].summary.{name}: histogram count {c} ({counts[c]}) exceeds {WireLimits.MaxCount} (AiFactory.Contracts.WireLimits.MaxCount).");
            }

            // At most 64 buckets of at most 10^12 each: far from wrapping, and checked all the same.
            total = checked(total + counts[c]);
        }

        if (total != h.Count)
        {
            Fail($"records[{i}].summary.{name}: histogram counts add up to {total}, but count is {h.Count}.");
        }

        if (total > WireLimits.MaxCount)
        {
            Fail($"records[{i}].summary.{name}: histogram count {total} exceeds {WireLimits.MaxCount} (AiFactory.Contracts.WireLimits.MaxCount).");
        }

        if (!double.IsFinite(h.Sum))
        {
            Fail($"records[{i}].summary.{name}: histogram sum must be finite.");
        }

        if (h.Count == 0 ? h.Min is not null || h.Max is not null || h.Sum != 0 : h.Min is not { } min || h.Max is not { } max || !double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            Fail($"records[{i}].summary.{name}: min and max must be finite with min ≤ max when count > 0, and absent (sum 0) when count is 0.");
        }

        if (h.Count > 0)
        {
            CheckHistogramValues(i, name, h.Min!.Value, h.Max!.Value, h.Sum, h.Count);
        }
    }

    /// <summary>Min and max within ±<see cref="WireLimits.MaxValue"/>, and the sum between count × min and count × max.</summary>
    private static void CheckHistogramValues(int i, string name, double min, double max, double sum, long count)
    {
        if (Math.Abs(min) > WireLimits.MaxValue || Math.Abs(max) > WireLimits.MaxValue)
        {
            Fail($"records[{i}].summary.{name}: min {min} and max {max} must lie within ±{WireLimits.MaxValue:0e0} (AiFactory.Contracts.WireLimits.MaxValue).");
        }

        // A sum of count values in [min, max] lies in [count·min, count·max]; the slack allows for rounding.
        var low = count * min;
        var high = count * max;
        var slack = 1e-9 * Math.Max(1.0, Math.Max(Math.Abs(low), Math.Abs(high)));
        if (sum < low - slack || sum > high + slack)
        {
            Fail($"records[{i}].summary.{name}: histogram sum {sum} is not between count × min ({low}) and count × max ({high}).");
        }
    }

    /// <summary>The company, plant, line and station every kind of record names: each an id (<see cref="EntityId"/>).</summary>
    private static void PlaceText(int i, string part, string? company, string? plant, string? line, string? station)
    {
        Id(company, "companyId", part, i);
        Id(plant, "plantId", part, i);
        Id(line, "lineId", part, i);
        Id(station, "stationId", part, i);
    }

    private static void Id(string? value, string field, string? part, int i)
    {
        if (!EntityId.IsValid(value))
        {
            Fail(EntityId.Problem(Where(field, part, i), value)!);
        }
    }

    /// <summary>A required text field; <paramref name="part"/> and <paramref name="i"/> say where it sits (null, -1: the batch itself).</summary>
    private static void Text(string? value, string field, string? part, int i)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail($"{Where(field, part, i)} is missing.");
        }

        if (value!.Length > MaxText)
        {
            Fail($"{Where(field, part, i)} is longer than {MaxText} characters.");
        }

        if (ControlCharacters.Any(value))
        {
            Fail($"{Where(field, part, i)} '{ControlCharacters.Escape(value)}' holds control characters.");
        }
    }

    /// <summary>A counter of a summary: 0 to <see cref="WireLimits.MaxCount"/>.</summary>
    private static void Count(int i, string field, long value)
    {
        if (value < 0)
        {
            Fail($"records[{i}].summary.{field} ({value}) must not be negative.");
        }

        if (value > WireLimits.MaxCount)
        {
            Fail($"records[{i}].summary.{field} ({value}) exceeds {WireLimits.MaxCount} (AiFactory.Contracts.WireLimits.MaxCount).");
        }
    }

    private static string Where(string field, string? part, int i) => part is null ? field : $"records[{i}].{part}.{field}";

    private static void Require(bool condition, string detail)
    {
        if (!condition)
        {
            Fail(detail);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string detail) => throw HubProblemException.BadRequest(detail);
}
