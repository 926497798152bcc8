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

    public static void CheckShape(UplinkBatch batch, int maxRecords)
    {
        Require(batch.Records is not null, "records is missing.");
        Require(batch.Outbox is not null, "outbox is missing.");
        Text("edgeId", batch.EdgeId);
        Require(batch.Records!.Count <= maxRecords, $"records has {batch.Records.Count} entries; at most {maxRecords} are accepted in one batch.");
        if (batch.Records.Count == 0)
        {
            Require(batch.FirstSequence == 0 && batch.LastSequence == 0, "a batch without records must have firstSequence and lastSequence 0.");
        }
        else
        {
            Require(batch.FirstSequence == batch.Records[0]?.Sequence, $"firstSequence {batch.FirstSequence} is not the first record's sequence.");
            Require(batch.LastSequence == batch.Records[^1]?.Sequence, $"lastSequence {batch.LastSequence} is not the last record's sequence.");
        }

        var previous = 0L;
        for (var i = 0; i < batch.Records.Count; i++)
        {
            var record = batch.Records[i];
            var at = $"records[{i}]";
            Require(record is not null, $"{at} is null.");
            Require(record!.Sequence > 0, $"{at}.sequence {record.Sequence} must be positive.");
            Require(record.Sequence > previous, $"{at}.sequence {record.Sequence} does not increase (previous {previous}).");
            previous = record.Sequence;
            Require((record.Summary is null) != (record.Event is null), $"{at} must carry exactly one of summary and event.");
            if (record.Summary is { } s)
            {
                CheckSummary($"{at}.summary", s, batch.EdgeId);
            }
            else
            {
                CheckEvent($"{at}.event", record.Event!);
            }
        }

        var o = batch.Outbox!;
        Require(o.BacklogRecords >= 0 && o.BacklogBytes >= 0 && o.DroppedOldest >= 0 && o.RejectedNew >= 0 && o.Quarantined >= 0, "outbox counters must not be negative.");
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
            var (company, plant, line, station) = r.Summary is { } s
                ? (s.CompanyId, s.PlantId, s.LineId, s.StationId)
                : (r.Event!.CompanyId, r.Event.PlantId, r.Event.LineId, r.Event.StationId);
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

    private static void CheckSummary(string at, StationWindowSummary s, string edgeId)
    {
        Require(string.Equals(s.EdgeId, edgeId, StringComparison.Ordinal), $"{at}.edgeId '{s.EdgeId}' is not the batch's edge '{edgeId}'.");
        Text($"{at}.companyId", s.CompanyId);
        Text($"{at}.plantId", s.PlantId);
        Text($"{at}.lineId", s.LineId);
        Text($"{at}.stationId", s.StationId);
        Text($"{at}.modelName", s.ModelName);
        Text($"{at}.modelVersion", s.ModelVersion);
        Require(s.WindowEndUtc > s.WindowStartUtc, $"{at}: windowEndUtc must be after windowStartUtc.");
        Require(s.WindowStartUtc.Year is >= 2000 and <= 2200, $"{at}.windowStartUtc {s.WindowStartUtc:O} is not a plausible time.");
        Require(s.FramesScored >= 0 && s.PassCount >= 0 && s.FailCount >= 0 && s.AnomalyCount >= 0, $"{at}: counts must not be negative.");
        Require(s.PassCount + s.FailCount <= s.FramesScored, $"{at}: passCount + failCount ({s.PassCount + s.FailCount}) exceeds framesScored ({s.FramesScored}).");
        Require(s.AnomalyCount <= s.FramesScored, $"{at}: anomalyCount ({s.AnomalyCount}) exceeds framesScored ({s.FramesScored}).");
        Require(s.ClassCounts is not null && s.DataQuality is not null, $"{at}: classCounts and dataQuality are required (may be empty).");
        foreach (var (name, count) in s.ClassCounts!)
        {
            Text($"{at}.classCounts key", name);
            Require(count >= 0, $"{at}.classCounts['{name}'] is negative.");
        }

        foreach (var q in s.DataQuality!)
        {
            Text($"{at}.dataQuality.tag", q.Tag);
            Require(q.Stale >= 0 && q.OutOfRange >= 0 && q.NaN >= 0 && q.Gaps >= 0 && q.DecodeErrors >= 0, $"{at}.dataQuality['{q.Tag}'] has a negative counter.");
        }

        Histogram($"{at}.scores", s.Scores, StandardHistograms.ScoreBounds);
        Histogram($"{at}.latencyMs", s.LatencyMs, StandardHistograms.LatencyMsBounds);
    }

    private static void CheckEvent(string at, StationEvent e)
    {
        Text($"{at}.companyId", e.CompanyId);
        Text($"{at}.plantId", e.PlantId);
        Text($"{at}.lineId", e.LineId);
        Text($"{at}.stationId", e.StationId);
        Text($"{at}.modelName", e.ModelName);
        Text($"{at}.modelVersion", e.ModelVersion);
        Require(e.Kind is "defect" or "anomaly", $"{at}.kind '{e.Kind}' must be 'defect' or 'anomaly'.");
        Require(double.IsFinite(e.Score), $"{at}.score must be a finite number.");
        Require(e.Kind != "defect" || !string.IsNullOrEmpty(e.Class), $"{at}: a defect event needs a class.");
        Require(e.Class is null || e.Class.Length <= MaxText, $"{at}.class is longer than {MaxText} characters.");
    }

    private static void Histogram(string at, HistogramData? h, IReadOnlyList<double> bounds)
    {
        Require(h is not null, $"{at} is missing.");
        Require(h!.Counts is not null, $"{at}.counts is missing.");
        Require(h.Bounds is not null && StandardHistograms.SameBounds(h.Bounds, bounds), $"{at}.bounds are not the standard bounds (AiFactory.Contracts.StandardHistograms).");
        try
        {
            MergeableHistogram.FromData(h);
        }
        catch (ArgumentException ex)
        {
            throw HubProblemException.BadRequest($"{at}: {ex.Message}");
        }
    }

    private static void Text(string field, string? value)
    {
        Require(!string.IsNullOrWhiteSpace(value), $"{field} is missing.");
        Require(value!.Length <= MaxText, $"{field} is longer than {MaxText} characters.");
    }

    private static void Require(bool condition, string detail)
    {
        if (!condition)
        {
            throw HubProblemException.BadRequest(detail);
        }
    }
}
