using System.Threading.Channels;
using AiFactory.Contracts;
using AiFactory.Hub.Ingest;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Influx;

/// <summary>
/// Sends every applied window summary and event to InfluxDB in the background. Ingest only enqueues into a bounded
/// queue, so a slow or absent InfluxDB never slows or fails an upload; points that do not fit are dropped, counted
/// and logged (at most once a minute). The SQL store stays the system of record.
/// </summary>
public sealed partial class InfluxForwarder(InfluxWriter writer, InfluxOptions options, ILogger<InfluxForwarder> logger, TimeProvider time)
    : BackgroundService, IBatchForwarder
{
    private const long NeverLogged = long.MinValue;

    // FullMode Wait, used only through TryWrite, which then answers false when full instead of waiting. (With the
    // Drop* modes TryWrite answers true even for the point it drops, so nothing could be counted.)
    private readonly Channel<PointData> _queue = Channel.CreateBounded<PointData>(
        new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private long _dropped;
    private long _written;
    private long _failed;
    private long _lastDropLog = NeverLogged;

    /// <summary>Points dropped because the queue was full, or still unwritten when the service stopped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Points written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Points given up after every retry failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public void Forward(string edgeId, IReadOnlyList<UplinkRecord> applied)
    {
        foreach (var r in applied)
        {
            if (r.Raw is not null)
            {
                // Raw chunks are kept in the hub's database only; the time-series store holds the aggregates.
                continue;
            }

            Enqueue(r.Summary is { } s ? SummaryPoint(edgeId, s, options.WritePrecision) : EventPoint(edgeId, r.Event!, options.WritePrecision));
        }
    }

    /// <summary>Queues one point without waiting; false (counted, logged at most once a minute) when the queue is full.</summary>
    public bool Enqueue(PointData point)
    {
        if (_queue.Writer.TryWrite(point))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropLog);
        if ((last == NeverLogged || time.GetElapsedTime(last, now) >= TimeSpan.FromMinutes(1)) && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            LogDropped(dropped, options.QueueCapacity);
        }

        return false;
    }

    public static PointData SummaryPoint(string edgeId, StationWindowSummary s, WritePrecision precision)
    {
        var latency = MergeableHistogram.FromData(s.LatencyMs);
        var point = Tagged("station_window", edgeId, s.CompanyId, s.PlantId, s.LineId, s.StationId, s.ModelName, s.ModelVersion)
            .Field("frames", s.FramesScored)
            .Field("pass", s.PassCount)
            .Field("fail", s.FailCount)
            .Field("anomalies", s.AnomalyCount)
            .Field("window_s", (s.WindowEndUtc - s.WindowStartUtc).TotalSeconds);
        if (s.Scores.Count > 0)
        {
            point.Field("score_mean", s.Scores.Sum / s.Scores.Count);
        }

        if (latency.Count > 0)
        {
            point.Field("latency_p50_ms", latency.Percentile(0.5)).Field("latency_p99_ms", latency.Percentile(0.99));
        }

        return point.Timestamp(s.WindowStartUtc, precision).ToPointData();
    }

    public static PointData EventPoint(string edgeId, StationEvent e, WritePrecision precision) =>
        Tagged("station_event", edgeId, e.CompanyId, e.PlantId, e.LineId, e.StationId, e.ModelName, e.ModelVersion)
            .Tag("kind", InfluxText.Clean(e.Kind))
            .Tag("class", InfluxText.Clean(e.Class ?? string.Empty))
            .Field("score", e.Score)
            .Timestamp(e.TimeUtc, precision)
            .ToPointData();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PointData>(options.BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < options.BatchSize && _queue.Reader.TryRead(out var p))
                {
                    batch.Add(p);
                }

                try
                {
                    await writer.WriteAsync(batch, stoppingToken).ConfigureAwait(false);
                    Interlocked.Add(ref _written, batch.Count);
                }
                catch (Exception ex) when (ex is InfluxWriteException or ArgumentException)
                {
                    // A refused or unwritable batch must not stop the hosted service (and with it the hub).
                    Interlocked.Add(ref _failed, batch.Count);
                    LogFailed(batch.Count, ex.Message);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is in hand or still queued is not written; count it and say so below.
        }

        var left = batch.Count;
        while (_queue.Reader.TryRead(out _))
        {
            left++;
        }

        if (left > 0)
        {
            Interlocked.Add(ref _dropped, left);
            LogLeftAtStop(left);
        }
    }

    private static PointData.Builder Tagged(string measurement, string edge, string company, string plant, string line, string station, string model, string version) =>
        PointData.Builder.Measurement(measurement)
            .Tag("company", InfluxText.Clean(company))
            .Tag("plant", InfluxText.Clean(plant))
            .Tag("line", InfluxText.Clean(line))
            .Tag("station", InfluxText.Clean(station))
            .Tag("model", InfluxText.Clean(model))
            .Tag("model_version", InfluxText.Clean(version))
            .Tag("edge", InfluxText.Clean(edge));

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB queue full ({Capacity} points): {Dropped} point(s) dropped so far; the SQL store still has them")]
    private partial void LogDropped(long dropped, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: {Count} point(s) not yet written to InfluxDB are dropped; the SQL store still has them")]
    private partial void LogLeftAtStop(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up writing {Count} point(s) to InfluxDB: {Reason}; the SQL store still has them")]
    private partial void LogFailed(int count, string reason);
}
