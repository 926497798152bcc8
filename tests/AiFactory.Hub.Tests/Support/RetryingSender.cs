using System.Net;
using System.Net.Http.Json;
using AiFactory.Contracts;

namespace AiFactory.Hub.Tests.Support;

/// <summary>
/// Sends batches the way the edge's uplink does: the same batch again until the hub acknowledges it, whatever
/// happens in between (connection refused, 5xx, timeouts). Counts what it produced, so a test can compare totals.
/// </summary>
/// <param name="client">The hub (or a proxy in front of several), with the edge's key.</param>
/// <param name="edgeId">The edge the batches come from.</param>
/// <param name="sent">Records this edge has already delivered: the next batch starts above it.</param>
internal sealed class RetryingSender(HttpClient client, string edgeId, long sent = 0)
{
    private long _next = sent + 1;
    private AiFactory.Contracts.UplinkBatch? _last;

    public long FramesProduced { get; private set; }

    public int Retries { get; private set; }

    /// <summary>How long one batch may go unacknowledged before the test fails (an edge itself would go on).</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long one POST may take before it is abandoned and sent again.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The replicas (X-AiFactory-Hub) that acknowledged batches.</summary>
    public HashSet<string> ServedBy { get; } = [];

    /// <summary>Sends the last acknowledged batch again, as an edge does when an ack is lost; it must change nothing.</summary>
    public async Task ResendLastAsync(CancellationToken ct)
    {
        var batch = _last ?? throw new InvalidOperationException("nothing was sent yet");
        await DeliverAsync(batch, ct);
    }

    /// <summary>Builds a batch of summaries, 10 s apart, and delivers it; answers once acknowledged.</summary>
    public async Task SendAsync(string company, string plant, string line, string station, DateTimeOffset start, int summaries, int framesEach, CancellationToken ct)
    {
        var items = Enumerable.Range(0, summaries)
            .Select(i => (object)Batches.Summary(edgeId, company, plant, line, station, start.AddSeconds(10 * i), framesEach, framesEach, 0))
            .ToList();
        var batch = Batches.Batch(edgeId, _next, items);
        _next += summaries;
        await DeliverAsync(batch, ct);
        FramesProduced += (long)summaries * framesEach;
        _last = batch;
    }

    private async Task DeliverAsync(UplinkBatch batch, CancellationToken ct)
    {
        // An edge retries for ever; a test must not: a hub that never acknowledges fails the test, naming its last answer.
        var deadline = DateTime.UtcNow + Patience;
        var lastAnswer = "no answer yet";
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{edgeId}: records {batch.FirstSequence}..{batch.LastSequence} not acknowledged within {Patience.TotalSeconds:0} s over {Retries} tries; the last answer: {lastAnswer}");
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(AttemptTimeout);
                using var response = await client.PostAsync("/api/v1/ingest", Batches.Json(batch, gzip: true), attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var ack = (await response.Content.ReadFromJsonAsync<UplinkAck>(attempt.Token))!;
                    if (ack.LastSequence >= batch.LastSequence)
                    {
                        ServedBy.UnionWith(response.Headers.TryGetValues("X-AiFactory-Hub", out var v) ? v : []);
                        return;
                    }

                    lastAnswer = $"200, acknowledged up to {ack.LastSequence}";
                }
                else if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"the hub refused a valid batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
                else
                {
                    lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
                }
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastAnswer = $"no answer within {AttemptTimeout.TotalSeconds:0} s";
            }

            Retries++;
            await Task.Delay(50, ct);
        }
    }
}
