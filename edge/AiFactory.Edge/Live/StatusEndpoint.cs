using System.Net;
using System.Text.Json;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;
using AiFactory.Edge.Uplink.Windows;

namespace AiFactory.Edge.Live;

/// <summary>
/// GET http://127.0.0.1:PORT/status: every source's connection state, values, decode errors, reconnects and last
/// problem, every station's frames and its tags' data-quality counters, and every model's frames, batches, latency percentiles and rejections, as JSON. Loopback only.
/// </summary>
internal sealed class StatusEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<IReadOnlyList<ISampleSource>> _sources;
    private readonly Func<IReadOnlyList<BatcherMetrics>> _models;
    private readonly TagTable _tags;
    private readonly Func<IReadOnlyList<FrameAligner>> _stations;
    private readonly Func<IReadOnlyList<StationUplinkCounts>>? _uplink;
    private readonly Task _serving;

    /// <param name="uplink">With an uplink: per station, the results scored here beside the verdicts summarized for the hub.</param>
    public StatusEndpoint(int port, Func<IReadOnlyList<ISampleSource>> sources, Func<IReadOnlyList<BatcherMetrics>> models, TagTable tags, Func<IReadOnlyList<FrameAligner>> stations, Func<IReadOnlyList<StationUplinkCounts>>? uplink = null)
    {
        _uplink = uplink;
        _sources = sources;
        _models = models;
        _tags = tags;
        _stations = stations;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new ArgumentException($"--status-port {port}: cannot listen on 127.0.0.1:{port}: {ex.Message}", ex);
        }

        _serving = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    public byte[] Snapshot()
    {
        var sources = _sources().Select(s => new
        {
            name = s.Name,
            state = s.Status.State.ToString(),
            values = s.Status.Samples,
            decode_errors = s.Status.DecodeErrors,
            reconnects = s.Status.Reconnects,
            last_problem = s.Status.LastError,
        });
        var models = _models().Select(m => new
        {
            model = m.Model,
            frames = m.FramesCompleted,
            batches = m.BatchesRun,
            mean_batch = Math.Round(m.MeanBatchSize, 2),
            queue_depth = m.QueueDepth,
            run_p50_us = m.RunTime.PercentileMicroseconds(0.5),
            run_p99_us = m.RunTime.PercentileMicroseconds(0.99),
            queue_wait_p99_us = m.QueueWait.PercentileMicroseconds(0.99),
            rejected = m.TotalRejections,
            failures = m.ExecutorFailures,
        });
        var stations = _stations().Select(a => new
        {
            station = a.Station,
            frames = a.FramesBuilt,
            dropped_missing = a.FramesDroppedMissing,
            dropped_stale = a.FramesDroppedStale,
            tags = _tags.Snapshot(a.Tags).Select(q => new
            {
                tag = q.Tag,
                unit = _tags.Definition(q.Tag)?.Unit,
                stale = q.Stale,
                out_of_range = q.OutOfRange,
                nan = q.NaN,
                gaps = q.Gaps,
                decode_errors = q.DecodeErrors,
            }),
        });
        // Side by side, named: the edge's scored count includes calibration samples, the hub's framesScored does not.
        var uplink = _uplink?.Invoke().Select(n => new
        {
            station = n.Station,
            results_scored_here = n.Results,
            summarized_for_hub = n.Summarized,
            calibration = n.Calibration,
            not_scored = n.NotScored,
        });
        return JsonSerializer.SerializeToUtf8Bytes(new { time = DateTimeOffset.UtcNow, sources, stations, models, uplink });
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath != "/status")
            {
                response.StatusCode = 404;
                continue;
            }

            var body = Snapshot();
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        }
    }
}
