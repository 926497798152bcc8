using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Influx;

/// <summary>
/// Writes <see cref="PointData"/> in batches of <see cref="InfluxOptions.BatchSize"/>, each point's line protocol as
/// InfluxDB.Client writes it. Version 2 goes through the library's write API (InfluxDB 1.8+, 2.x, 3.x; token or
/// user/password; gzip). Version 1 posts the same lines to <c>/write?db=&amp;rp=&amp;precision=</c> (gzip, basic
/// authentication), which InfluxDB before 1.8 (Debian's 1.6) needs, creating the database if it does not exist.
/// Both retry with exponential backoff and full jitter on network errors, timeouts, 5xx and 429, waiting as long as a
/// Retry-After header asks (up to <see cref="MaxRetryAfter"/>); any other refusal is final.
/// </summary>
public sealed partial class InfluxWriter : IDisposable
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;
    private readonly ILogger<InfluxWriter> _logger;
    private readonly TimeProvider _time;
    private readonly InfluxDBClient? _client;
    private readonly List<string> _lines = [];
    private bool _databaseChecked;
    private long _requests;
    private long _skipped;

    public InfluxWriter(HttpClient http, InfluxOptions options, ILogger<InfluxWriter> logger, TimeProvider? time = null)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        if (options.Version == 2)
        {
            var client = new InfluxDBClientOptions(options.Url) { Org = options.Org, Bucket = options.Bucket, HttpClient = http };
            if (!string.IsNullOrEmpty(options.Token))
            {
                client.Token = options.Token;
            }
            else
            {
                client.Username = options.Username;
                client.Password = options.Password;
            }

            _client = new InfluxDBClient(client);
            _client.EnableGzip();
        }
    }

    /// <summary>Base delay of the first retry; doubles per attempt (with full jitter), capped at 30 s.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait a server's Retry-After can impose on one retry.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>HTTP write requests sent (retries included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Points left out because no field of theirs was left to write (non-finite numbers only).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Writes the points; one caller at a time (the forwarder's loop).</summary>
    public async Task WriteAsync(IReadOnlyList<PointData> points, CancellationToken ct)
    {
        for (var i = 0; i < points.Count; i += _options.BatchSize)
        {
            _lines.Clear();
            var end = Math.Min(points.Count, i + _options.BatchSize);
            for (var j = i; j < end; j++)
            {
                if (points[j].Precision != _options.WritePrecision)
                {
                    throw new ArgumentException($"point {j + 1} of {points.Count} has its time in {points[j].Precision}; Hub:Influx:Precision is {_options.Precision}", nameof(points));
                }

                var line = points[j].ToLineProtocol();
                if (line.Length == 0)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                _lines.Add(line);
            }

            if (_lines.Count > 0)
            {
                await WriteLinesAsync(ct).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _client?.Dispose();

    private async Task WriteLinesAsync(CancellationToken ct)
    {
        var gzipped = _client is null ? Gzip(_lines) : [];
        for (var attempt = 1; ; attempt++)
        {
            var (failure, retryAfter) = _client is null
                ? await PostV1Async(gzipped, ct).ConfigureAwait(false)
                : await WriteV2Async(_client, ct).ConfigureAwait(false);
            if (failure is null)
            {
                return;
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw new InfluxWriteException($"InfluxDB at {_options.Url} failed {attempt} times; last: {failure}");
            }

            var cap = Math.Min(30_000, RetryBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
            var delay = RetryAfter(retryAfter) ?? TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
            LogRetry(attempt, failure, delay.TotalMilliseconds);
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One try through InfluxDB.Client: null when written, else why it failed and any Retry-After; throws when refused for good.</summary>
    private async Task<(string? Failure, RetryConditionHeaderValue? RetryAfter)> WriteV2Async(InfluxDBClient client, CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            await client.GetWriteApiAsync().WriteRecordsAsync(_lines, _options.WritePrecision, _options.Bucket, _options.Org, ct).ConfigureAwait(false);
            return (null, null);
        }
        catch (HttpException ex) when (ex.Status == 0)
        {
            ct.ThrowIfCancellationRequested();
            return (ex.InnerException?.Message ?? ex.Message, null);
        }
        catch (HttpException ex) when (ex.Status < 500 && ex.Status != (int)HttpStatusCode.TooManyRequests)
        {
            throw new InfluxWriteException($"InfluxDB at {_options.Url} refused the write: {ex.Status} {ex.Message}".TrimEnd(), ex.Status);
        }
        catch (HttpException ex)
        {
            // The client may split a header at its commas (an HTTP date has one): join what it kept.
            var header = string.Join(", ", ex.Headers?.Where(h => string.Equals(h.Name, "Retry-After", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value?.ToString()) ?? []);
            return ($"{ex.Status} {ex.Message}".TrimEnd(), RetryConditionHeaderValue.TryParse(header, out var value) ? value : null);
        }
        catch (FormatException ex)
        {
            // InfluxDB.Client 5.1.0 reads Retry-After as seconds only: an HTTP date (which the header may carry) throws
            // while it builds its exception, and the status is lost with it. Retry on our own backoff.
            return ($"InfluxDB.Client could not read the server's answer: {ex.Message}", null);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return ($"timed out ({ex.Message})", null);
        }
    }

    /// <summary>One try at InfluxDB 1.x's <c>/write</c>, as <see cref="WriteV2Async"/>.</summary>
    private async Task<(string? Failure, RetryConditionHeaderValue? RetryAfter)> PostV1Async(byte[] gzipped, CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, WriteUri()) { Content = new ByteArrayContent(gzipped) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            request.Content.Headers.ContentEncoding.Add("gzip");
            if (BasicCredentials() is { } credentials)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
            }

            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (null, null);
            }

            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var failure = $"{(int)response.StatusCode} {text.Trim()}".TrimEnd();
            if (response.StatusCode == HttpStatusCode.NotFound && _options.CreateDatabase && !_databaseChecked
                && text.Contains("database not found", StringComparison.OrdinalIgnoreCase))
            {
                _databaseChecked = true;
                await CreateDatabaseAsync(ct).ConfigureAwait(false);
                return await PostV1Async(gzipped, ct).ConfigureAwait(false);
            }

            if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                throw new InfluxWriteException($"InfluxDB at {_options.Url} refused the write: {failure}", (int)response.StatusCode);
            }

            return (failure, response.Headers.RetryAfter);
        }
        catch (HttpRequestException ex)
        {
            return (ex.Message, null);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return ($"timed out ({ex.Message})", null);
        }
    }

    private string? BasicCredentials() =>
        !string.IsNullOrEmpty(_options.Username) ? $"{_options.Username}:{_options.Password}" : string.IsNullOrEmpty(_options.Token) ? null : _options.Token;

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
        var q = $"CREATE DATABASE \"{_options.Database!.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", q)]);
        using var response = await _http.PostAsync(new Uri(new Uri(_options.Url!), "/query"), content, ct).ConfigureAwait(false);
        LogCreated(_options.Database!, (int)response.StatusCode);
    }

    private Uri WriteUri()
    {
        var b = new StringBuilder(_options.Url!.TrimEnd('/')).Append("/write?db=").Append(Uri.EscapeDataString(_options.Database!));
        if (!string.IsNullOrEmpty(_options.RetentionPolicy))
        {
            b.Append("&rp=").Append(Uri.EscapeDataString(_options.RetentionPolicy));
        }

        // InfluxDB 1.x spells nanoseconds and microseconds n and u.
        var precision = _options.Precision switch
        {
            InfluxPrecision.Nanoseconds => "n",
            InfluxPrecision.Microseconds => "u",
            InfluxPrecision.Seconds => "s",
            _ => "ms",
        };
        return new Uri(b.Append("&precision=").Append(precision).ToString());
    }

    private static byte[] Gzip(List<string> lines)
    {
        using var buffer = new MemoryStream();
        using (var z = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var text = new StreamWriter(z, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16))
        {
            foreach (var line in lines)
            {
                text.Write(line);
                text.Write('\n');
            }
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB write attempt {Attempt} failed ({Failure}); retrying in {DelayMs:F0} ms")]
    private partial void LogRetry(int attempt, string failure, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB database {Database} did not exist; CREATE DATABASE answered {Status}")]
    private partial void LogCreated(string database, int status);
}
