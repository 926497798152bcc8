using System.IO.Compression;
using AiFactory.Hub.Influx;
using AiFactory.Testing;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Hub.Tests.Influx;

/// <summary>The writer against an in-process InfluxDB v2 stand-in that records what it accepted.</summary>
[Trait("Category", "Integration")]
public sealed class InfluxWriterTests : IAsyncLifetime
{
    private readonly List<string> _accepted = [];
    private readonly List<string> _requests = [];
    private WebApplication _fake = null!;
    private int _failNext;
    private int _failStatus = 503;
    private string? _retryAfter;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _fake = builder.Build();
        _fake.MapPost("/api/v2/write", async (HttpContext h) =>
        {
            lock (_requests)
            {
                _requests.Add($"{h.Request.QueryString} {h.Request.Headers.Authorization} {h.Request.Headers.ContentEncoding}");
            }

            using var z = new GZipStream(h.Request.Body, CompressionMode.Decompress);
            var body = await new StreamReader(z).ReadToEndAsync();
            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                h.Response.StatusCode = _failStatus;
                if (_retryAfter is { } wait)
                {
                    h.Response.Headers.RetryAfter = wait;
                }

                return;
            }

            lock (_accepted)
            {
                _accepted.AddRange(body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            h.Response.StatusCode = 204;
        });
        _fake.MapPost("/bad/api/v2/write", () => Results.BadRequest());
        _fake.MapPost("/write", async (HttpContext h) =>
        {
            using var z = new GZipStream(h.Request.Body, CompressionMode.Decompress);
            var body = await new StreamReader(z).ReadToEndAsync();
            lock (_requests)
            {
                _requests.Add($"{h.Request.Path}{h.Request.QueryString} {h.Request.Headers.Authorization} {h.Request.Headers.ContentType} {body}");
            }

            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                h.Response.StatusCode = _failStatus;
                h.Response.Headers.RetryAfter = _retryAfter ?? string.Empty;
                return;
            }

            h.Response.StatusCode = 204;
        });
        await _fake.StartAsync();
        _url = new Uri(_fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task V2_SendsOrgBucketTokenAndGzip_InBatchesOf5000()
    {
        var writer = Writer();

        await writer.WriteAsync(Points(12_000), CancellationToken.None);

        Assert.Equal(12_000, _accepted.Count);
        Assert.Equal(12_000, _accepted.Distinct().Count());
        Assert.Equal(3, _requests.Count);
        Assert.All(_requests, r => Assert.Equal("?org=acme%20co&bucket=lines&precision=ms Token s3cret gzip", r));
    }

    [Fact]
    public async Task ServiceUnavailableThenOk_IsRetried_WithoutDuplicates()
    {
        _failNext = 2;
        var writer = Writer();

        await writer.WriteAsync(Points(10), CancellationToken.None);

        Assert.Equal(3, writer.Requests);
        Assert.Equal(Points(10).Select(p => p.ToLineProtocol()), _accepted);
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfterSeconds_WaitsExactlyThatLong()
    {
        (_failNext, _failStatus, _retryAfter) = (1, 429, "7");
        var time = new FakeTimeProvider();
        var log = new ListLogger<InfluxWriter>();
        var writer = new InfluxWriter(new HttpClient(), Options(), log, time) { RetryBase = TimeSpan.FromMilliseconds(1) };

        var write = writer.WriteAsync(Points(3), CancellationToken.None);
        await Eventually.WaitFor(() => time.ArmedTimers == 1, "the retry's delay armed");
        time.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromTicks(1));

        Assert.Equal(1, time.ArmedTimers);
        Assert.Equal(1, writer.Requests);
        time.Advance(TimeSpan.FromTicks(1));
        await write;
        Assert.Equal(2, writer.Requests);
        Assert.Equal(3, _accepted.Count);
        Assert.Equal("InfluxDB write attempt 1 failed (429); retrying in 7000 ms", Assert.Single(log.Lines).Message);
    }

    [Fact]
    public async Task V1_ServiceUnavailableWithRetryAfterDate_WaitsUntilThatDate()
    {
        var time = new FakeTimeProvider();
        (_failNext, _retryAfter) = (1, time.GetUtcNow().AddSeconds(30).ToString("r", System.Globalization.CultureInfo.InvariantCulture));
        var log = new ListLogger<InfluxWriter>();
        var options = new InfluxOptions { Url = _url.ToString(), Version = 1, Database = "d" };
        var writer = new InfluxWriter(new HttpClient(), options, log, time) { RetryBase = TimeSpan.FromMilliseconds(1) };

        var write = writer.WriteAsync(Points(1), CancellationToken.None);
        await Eventually.WaitFor(() => time.ArmedTimers == 1, "the retry's delay armed");
        time.Advance(TimeSpan.FromSeconds(30));
        await write;

        Assert.Equal("InfluxDB write attempt 1 failed (503); retrying in 30000 ms", Assert.Single(log.Lines).Message);
        Assert.Equal(2, writer.Requests);
    }

    /// <summary>InfluxDB.Client 5.1.0 cannot read a Retry-After date: the writer retries on its own backoff instead of failing.</summary>
    [Fact]
    public async Task V2_ServiceUnavailableWithRetryAfterDate_IsRetriedOnTheWritersBackoff()
    {
        var time = new FakeTimeProvider();
        var date = time.GetUtcNow().AddSeconds(30).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        (_failNext, _retryAfter) = (1, date);
        var log = new ListLogger<InfluxWriter>();
        var writer = new InfluxWriter(new HttpClient(), Options(), log, time) { RetryBase = TimeSpan.FromSeconds(1) };

        var write = writer.WriteAsync(Points(1), CancellationToken.None);
        await Eventually.WaitFor(() => time.ArmedTimers == 1, "the retry's delay armed");
        time.Advance(TimeSpan.FromSeconds(1));
        await write;

        Assert.StartsWith(
            $"InfluxDB write attempt 1 failed (InfluxDB.Client could not read the server's answer: The input string '{date}' was not in a correct format.); retrying in ",
            Assert.Single(log.Lines).Message,
            StringComparison.Ordinal);
        Assert.Single(_accepted);
    }

    [Fact]
    public async Task RetryAfterBeyondTheCap_IsCapped()
    {
        (_failNext, _retryAfter) = (1, "86400");
        var time = new FakeTimeProvider();
        var log = new ListLogger<InfluxWriter>();
        var writer = new InfluxWriter(new HttpClient(), Options(), log, time) { MaxRetryAfter = TimeSpan.FromSeconds(90) };

        var write = writer.WriteAsync(Points(1), CancellationToken.None);
        await Eventually.WaitFor(() => time.ArmedTimers == 1, "the retry's delay armed");
        time.Advance(TimeSpan.FromSeconds(90));
        await write;

        Assert.Equal("InfluxDB write attempt 1 failed (503); retrying in 90000 ms", Assert.Single(log.Lines).Message);
    }

    [Fact]
    public async Task NetworkError_IsRetriedWithBackoff_ThenGivenUpNamingTheError()
    {
        var options = Options(maxAttempts: 2);
        options.Url = $"http://127.0.0.1:{FreePort.Next()}";
        var time = new FakeTimeProvider();
        var log = new ListLogger<InfluxWriter>();
        var writer = new InfluxWriter(new HttpClient(), options, log, time) { RetryBase = TimeSpan.FromSeconds(1) };

        var write = writer.WriteAsync(Points(1), CancellationToken.None);
        await Eventually.WaitFor(() => time.ArmedTimers == 1, "the retry's delay armed");
        time.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<InfluxWriteException>(() => write);

        Assert.Equal(2, writer.Requests);
        Assert.StartsWith($"InfluxDB at {options.Url} failed 2 times; last: Connection refused", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.Status);
    }

    [Fact]
    public async Task V1_SendsDatabaseRetentionPolicyPrecisionAndBasicAuth()
    {
        var options = new InfluxOptions
        {
            Url = _url.ToString(), Version = 1, Database = "plant db", RetentionPolicy = "one_week", Token = "user:pw", Precision = InfluxPrecision.Nanoseconds,
        };
        var writer = new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance);

        await writer.WriteAsync([PointData.Measurement("m").Tag("station", "s1").Field("v", 2.5).Timestamp(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(3), WritePrecision.Ns)], CancellationToken.None);

        Assert.Equal("/write?db=plant%20db&rp=one_week&precision=n Basic dXNlcjpwdw== text/plain; charset=utf-8 m,station=s1 v=2.5 1700000000000000300\n", Assert.Single(_requests));
    }

    [Fact]
    public async Task V1_UsernameAndPassword_AreSentAsBasicAuth()
    {
        var options = new InfluxOptions { Url = _url.ToString(), Version = 1, Database = "d", Username = "hub", Password = "pw:1" };
        using var writer = new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance);

        await writer.WriteAsync(Points(1), CancellationToken.None);

        Assert.Equal("/write?db=d&precision=ms Basic aHViOnB3OjE= text/plain; charset=utf-8 m,station=s1 v=0i 1700000000000\n", Assert.Single(_requests));
    }

    [Fact]
    public async Task PointInAnotherPrecision_IsRefusedNamingBoth_AndNothingIsSent()
    {
        var writer = Writer();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync([.. Points(1), PointData.Measurement("m").Field("v", 1L).Timestamp(1L, WritePrecision.S)], CancellationToken.None));

        Assert.Equal("point 2 of 2 has its time in S; Hub:Influx:Precision is Milliseconds (Parameter 'points')", ex.Message);
        Assert.Equal(0, writer.Requests);
    }

    [Fact]
    public async Task PointsWithoutFields_AreCountedAsSkipped_AndNotSent()
    {
        var writer = Writer();

        await writer.WriteAsync([PointData.Measurement("m").Field("v", double.NaN).Timestamp(0L, WritePrecision.Ms)], CancellationToken.None);

        Assert.Equal(1, writer.Skipped);
        Assert.Equal(0, writer.Requests);
    }

    [Fact]
    public async Task StillFailingAfterMaxAttempts_ThrowsNamingTheLastFailure()
    {
        _failNext = 100;
        var writer = Writer(maxAttempts: 3);

        var ex = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync(Points(1), CancellationToken.None));

        Assert.Contains("failed 3 times; last: 503", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_accepted);
    }

    [Fact]
    public async Task Refused_IsNotRetried()
    {
        var options = Options();
        options.Url = new Uri(_url, "/bad").ToString();
        var writer = new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance) { RetryBase = TimeSpan.FromMilliseconds(1) };

        var ex = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync(Points(1), CancellationToken.None));

        Assert.Equal(400, ex.Status);
        Assert.Equal(1, writer.Requests);
    }

    [Fact]
    public void Options_NameEveryProblem()
    {
        var problems = new InfluxOptions { Url = "ftp://x", Version = 2, BatchSize = 0, QueueCapacity = -1, Precision = (InfluxPrecision)9 }.Problems().ToList();

        Assert.Contains(problems, p => p.Contains("Hub:Influx:Url 'ftp://x' is not an http(s) URL", StringComparison.Ordinal));
        Assert.Contains("Hub:Influx:Org and Bucket are required for Version 2 (InfluxDB 1.8: Org '-', Bucket 'database/retention-policy').", problems);
        Assert.Contains(problems, p => p.Contains("Hub:Influx:BatchSize 0", StringComparison.Ordinal));
        Assert.Contains("Hub:Influx:Precision 9 is not Nanoseconds, Microseconds, Milliseconds or Seconds.", problems);
    }

    [Fact]
    public void Options_V2WithoutTokenOrUserAndPassword_AreNamed()
    {
        var options = new InfluxOptions { Url = "http://127.0.0.1:8086", Version = 2, Org = "o", Bucket = "b", Username = "hub" };

        Assert.Equal(
            ["Hub:Influx:Token, or Username and Password, are required for Version 2.", "Hub:Influx:Password is required with Hub:Influx:Username."],
            options.Problems());
    }

    private InfluxOptions Options(int maxAttempts = 8) =>
        new() { Url = _url.ToString(), Version = 2, Org = "acme co", Bucket = "lines", Token = "s3cret", MaxAttempts = maxAttempts };

    private InfluxWriter Writer(int maxAttempts = 8) =>
        new(new HttpClient(), Options(maxAttempts), NullLogger<InfluxWriter>.Instance) { RetryBase = TimeSpan.FromMilliseconds(1) };

    private static List<PointData> Points(int n) =>
        Enumerable.Range(0, n).Select(i => PointData.Measurement("m").Tag("station", "s1").Field("v", (long)i).Timestamp(1_700_000_000_000 + i, WritePrecision.Ms)).ToList();
}
