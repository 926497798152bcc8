using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Influx;

/// <summary>
/// A plain HTTP line-protocol writer for InfluxDB v1 (<c>/write?db=&amp;rp=&amp;precision=</c>) and v2
/// (<c>/api/v2/write?org=&amp;bucket=&amp;precision=</c>, <c>Authorization: Token</c>): batches of
/// <see cref="InfluxOptions.BatchSize"/> points, gzip, retries with exponential backoff and full jitter on network
/// errors, timeouts, 5xx and 429, waiting as long as a Retry-After header asks (up to <see cref="MaxRetryAfter"/>).
/// </summary>
public sealed partial class InfluxWriter(HttpClient http, InfluxOptions options, ILogger<InfluxWriter> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private bool _databaseChecked;
    private long _requests;
    private long _skipped;

    /// <summary>Base delay of the first retry; doubles per attempt (with full jitter), capped at 30 s.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait a server's Retry-After can impose on one retry.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>HTTP requests sent (retries included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Points left out because they had no measurement or no field the protocol can carry.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public async Task WriteAsync(IReadOnlyList<InfluxPoint> points, CancellationToken ct)
    {
        var body = new StringBuilder();
        for (var i = 0; i < points.Count; i += options.BatchSize)
        {
            body.Clear();
            var end = Math.Min(points.Count, i + options.BatchSize);
            for (var j = i; j < end; j++)
            {
                if (!LineProtocol.Append(body, points[j], options.Precision))
                {
                    Interlocked.Increment(ref _skipped);
                }
            }

            if (body.Length > 0)
            {
                await WriteBodyAsync(Gzip(body), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteBodyAsync(byte[] gzipped, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, WriteUri()) { Content = new ByteArrayContent(gzipped) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
                request.Content.Headers.ContentEncoding.Add("gzip");
                if (!string.IsNullOrEmpty(options.Token))
                {
                    request.Headers.Authorization = options.Version == 2
                        ? new AuthenticationHeaderValue("Token", options.Token)
                        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Token)));
                }

                Interlocked.Increment(ref _requests);
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                failure = $"{(int)response.StatusCode} {text.Trim()}";
                if (response.StatusCode == HttpStatusCode.NotFound && options.Version == 1 && options.CreateDatabase && !_databaseChecked
                    && text.Contains("database not found", StringComparison.OrdinalIgnoreCase))
                {
                    _databaseChecked = true;
                    await CreateDatabaseAsync(ct).ConfigureAwait(false);
                    continue;
                }

                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    throw new InfluxWriteException($"InfluxDB at {options.Url} refused the write: {failure}", (int)response.StatusCode);
                }

                retryAfter = RetryAfter(response.Headers.RetryAfter);
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
            {
                failure = $"timed out ({ex.Message})";
            }

            if (attempt >= options.MaxAttempts)
            {
                throw new InfluxWriteException($"InfluxDB at {options.Url} failed {attempt} times; last: {failure}");
            }

            var cap = Math.Min(30_000, RetryBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
            var delay = retryAfter ?? TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
            LogRetry(attempt, failure, delay.TotalMilliseconds);
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        var wait = header?.Delta ?? (header?.Date is { } at ? at - _time.GetUtcNow() : null);
        if (wait is not { } w)
        {
            return null;
        }

        return w < TimeSpan.Zero ? TimeSpan.Zero : w > MaxRetryAfter ? MaxRetryAfter : w;
    }

    private async Task CreateDatabaseAsync(CancellationToken ct)
    {
        var q = $"CREATE DATABASE \"{options.Database!.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", q)]);
        using var response = await http.PostAsync(new Uri(new Uri(options.Url!), "/query"), content, ct).ConfigureAwait(false);
        LogCreated(options.Database!, (int)response.StatusCode);
    }

    private Uri WriteUri()
    {
        var b = new StringBuilder(options.Url!.TrimEnd('/'));
        if (options.Version == 2)
        {
            b.Append("/api/v2/write?org=").Append(Uri.EscapeDataString(options.Org!)).Append("&bucket=").Append(Uri.EscapeDataString(options.Bucket!));
        }
        else
        {
            b.Append("/write?db=").Append(Uri.EscapeDataString(options.Database!));
            if (!string.IsNullOrEmpty(options.RetentionPolicy))
            {
                b.Append("&rp=").Append(Uri.EscapeDataString(options.RetentionPolicy));
            }
        }

        return new Uri(b.Append("&precision=").Append(LineProtocol.QueryValue(options.Precision, options.Version)).ToString());
    }

    private static byte[] Gzip(StringBuilder body)
    {
        using var buffer = new MemoryStream();
        using (var z = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var text = new StreamWriter(z, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16))
        {
            foreach (var chunk in body.GetChunks())
            {
                text.Write(chunk.Span);
            }
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB write attempt {Attempt} failed ({Failure}); retrying in {DelayMs:F0} ms")]
    private partial void LogRetry(int attempt, string failure, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB database {Database} did not exist; CREATE DATABASE answered {Status}")]
    private partial void LogCreated(string database, int status);
}
