using System.IO.Compression;
using AiFactory.Hub.Influx;
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
                h.Response.StatusCode = 503;
                return;
            }

            lock (_accepted)
            {
                _accepted.AddRange(body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            h.Response.StatusCode = 204;
        });
        _fake.MapPost("/bad/api/v2/write", () => Results.BadRequest());
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
        Assert.Equal(10, _accepted.Count);
        Assert.Equal(10, _accepted.Distinct().Count());
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
        var problems = new InfluxOptions { Url = "ftp://x", Version = 2, BatchSize = 0, QueueCapacity = -1 }.Problems().ToList();

        Assert.Contains(problems, p => p.Contains("Hub:Influx:Url 'ftp://x' is not an http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Org, Bucket and Token are required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Hub:Influx:BatchSize 0", StringComparison.Ordinal));
    }

    private InfluxOptions Options(int maxAttempts = 8) =>
        new() { Url = _url.ToString(), Version = 2, Org = "acme co", Bucket = "lines", Token = "s3cret", MaxAttempts = maxAttempts };

    private InfluxWriter Writer(int maxAttempts = 8) =>
        new(new HttpClient(), Options(maxAttempts), NullLogger<InfluxWriter>.Instance) { RetryBase = TimeSpan.FromMilliseconds(1) };

    private static List<InfluxPoint> Points(int n) =>
        Enumerable.Range(0, n).Select(i => new InfluxPoint("m", [new("station", "s1")], [new("v", (long)i)], 1_700_000_000_000 + i)).ToList();
}
