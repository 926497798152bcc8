using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Hub.Tests.Support;

/// <summary>Builds window summaries, events and batches with known totals.</summary>
internal static class Batches
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static StationWindowSummary Summary(
        string edge, string company, string plant, string line, string station, DateTimeOffset start,
        long frames, long pass, long fail, long anomalies = 0, double latencyMs = 1.2, IReadOnlyDictionary<string, long>? classes = null,
        string model = "pump-anomaly", string version = "1.0.0", IReadOnlyList<DataQualityCounters>? quality = null)
    {
        var scores = StandardHistograms.NewScore();
        var latency = StandardHistograms.NewLatencyMs();
        for (var i = 0; i < frames; i++)
        {
            scores.Record(i < fail ? 1.5 : 0.25);
            latency.Record(latencyMs);
        }

        return new StationWindowSummary(
            edge, company, plant, line, station, model, version, start, start.AddSeconds(10), frames, pass, fail,
            classes ?? new Dictionary<string, long>(), anomalies, scores.ToData(), latency.ToData(), quality ?? []);
    }

    public static StationEvent Event(string company, string plant, string line, string station, DateTimeOffset at, string kind = "anomaly", string? cls = null) =>
        new(company, plant, line, station, at, kind, 1.5, cls, "pump-anomaly", "1.0.0");

    public static UplinkBatch Batch(string edge, long firstSequence, IEnumerable<object> items, OutboxReport? outbox = null)
    {
        var seq = firstSequence;
        var records = items.Select(i => i switch
        {
            StationWindowSummary s => new UplinkRecord(seq++, s, null),
            StationEvent e => new UplinkRecord(seq++, null, e),
            _ => throw new ArgumentException("not a summary or event", nameof(items)),
        }).ToList();
        return new UplinkBatch(edge, records.Count == 0 ? 0 : records[0].Sequence, records.Count == 0 ? 0 : records[^1].Sequence, T0, records,
            outbox ?? new OutboxReport(records.Count, 1000, T0, 0, 0, 0));
    }

    public static HttpContent Json(UplinkBatch batch, bool gzip = false)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(batch, AiFactoryJsonContext.Default.UplinkBatch);
        if (!gzip)
        {
            var plain = new ByteArrayContent(json);
            plain.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return plain;
        }

        using var buffer = new MemoryStream();
        using (var z = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(json);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
