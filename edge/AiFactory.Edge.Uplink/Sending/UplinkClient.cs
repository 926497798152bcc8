using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Sending;

/// <summary>
/// POSTs one <see cref="UplinkBatch"/> to the hub's /api/v1/ingest: camelCase JSON from
/// <see cref="AiFactoryJsonContext"/>, gzip (<c>Content-Encoding: gzip</c>), <c>Authorization: Bearer</c>, and
/// sorts the answer into what the sender must do next. Never throws for a network problem or an HTTP status.
/// </summary>
public sealed class UplinkClient(HttpClient http, UplinkOptions options)
{
    private const int MaxDetail = 500;

    public Uri IngestUrl { get; } = options.IngestUrl;

    /// <summary>The gzip-compressed JSON body of a batch.</summary>
    public static byte[] Encode(UplinkBatch batch)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, batch, AiFactoryJsonContext.Default.UplinkBatch);
        }

        return buffer.ToArray();
    }

    public async Task<UplinkResponse> SendAsync(UplinkBatch batch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, IngestUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        request.Content = new ByteArrayContent(Encode(batch));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return status switch
            {
                200 => Ack(body, batch),
                413 => new UplinkResponse(UplinkResponseKind.TooLarge, status, null, Detail(body)),
                400 => new UplinkResponse(UplinkResponseKind.Rejected, status, null, Detail(body)),
                401 or 403 => new UplinkResponse(UplinkResponseKind.KeyRefused, status, null, Detail(body)),
                408 or 429 or >= 500 => new UplinkResponse(UplinkResponseKind.Retry, status, null, $"{status} {response.ReasonPhrase}: {Detail(body)}", RetryAfter(response)),
                _ => new UplinkResponse(UplinkResponseKind.Unexpected, status, null, Detail(body)),
            };
        }
        catch (HttpRequestException ex)
        {
            return new UplinkResponse(UplinkResponseKind.Retry, 0, null, $"network: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new UplinkResponse(UplinkResponseKind.Retry, 0, null, $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (IOException ex)
        {
            return new UplinkResponse(UplinkResponseKind.Retry, 0, null, $"connection: {ex.Message}");
        }
    }

    /// <summary>Whether the hub's /health/live answers 2xx within <paramref name="timeout"/>; never throws for a network problem.</summary>
    public async Task<bool> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(options.HealthUrl, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private UplinkResponse Ack(string body, UplinkBatch batch)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, AiFactoryJsonContext.Default.UplinkAck) is { } ack)
            {
                return ack.EdgeId == options.EdgeId
                    ? new UplinkResponse(UplinkResponseKind.Acked, 200, ack, string.Empty)
                    : new UplinkResponse(UplinkResponseKind.Unexpected, 200, null, $"the ack for batch {batch.FirstSequence}..{batch.LastSequence} names edge '{ack.EdgeId}', not '{options.EdgeId}'");
            }
        }
        catch (JsonException)
        {
        }

        return new UplinkResponse(UplinkResponseKind.Unexpected, 200, null, $"200 without a readable UplinkAck: {Clip(body)}");
    }

    /// <summary>The problem+json detail when there is one, else the start of the body.</summary>
    private static string Detail(string body)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return Clip(detail.GetString()!);
            }
        }
        catch (JsonException)
        {
        }

        return Clip(body);
    }

    private static string Clip(string text) => text.Length <= MaxDetail ? text : new StringBuilder(text, 0, MaxDetail, MaxDetail + 1).Append('…').ToString();

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
}
