using System.Net;
using System.Text.Json;

namespace AiFactory.Edge.Live;

/// <summary>
/// GET http://127.0.0.1:PORT/status: every source's connection state, values, decode errors, reconnects and last
/// problem; every station's frames (built, held values, dropped) and each of its tags' data quality (values, stale,
/// out of range, NaN, gaps, decode errors); every model's frames, batches, latency percentiles and rejections;
/// configuration reloads applied and refused. JSON, loopback only.
/// </summary>
internal sealed class StatusEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly LineRunner _line;
    private readonly Task _serving;

    public StatusEndpoint(int port, LineRunner line)
    {
        _line = line;
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
        var sources = _line.Sources.Select(s => new
        {
            name = s.Name,
            state = s.Status.State.ToString(),
            values = s.Status.Samples,
            decode_errors = s.Status.DecodeErrors,
            reconnects = s.Status.Reconnects,
            last_problem = s.Status.LastError,
        });
        var models = _line.Models.Select(m => new
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
        var stations = _line.Stations.Select(s => new
        {
            name = s.Definition.Name,
            frames = s.Aligner.Counters.Built,
            values_held = s.Aligner.Counters.Held,
            dropped_missing = s.Aligner.Counters.DroppedMissing,
            dropped_stale = s.Aligner.Counters.DroppedStale,
            tags = s.Tags.Select(t => new
            {
                tag = t.Spec.Name,
                values = t.Counters.Samples,
                stale = t.Counters.Stale,
                out_of_range = t.Counters.OutOfRange,
                nan = t.Counters.NaN,
                gaps = t.Counters.Gaps,
                decode_errors = t.Counters.DecodeErrors,
            }),
        });
        return JsonSerializer.SerializeToUtf8Bytes(new { time = DateTimeOffset.UtcNow, sources, stations, models, reloads = _line.Reloads, reloads_refused = _line.ReloadsRefused });
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
