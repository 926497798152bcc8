using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using AiFactory.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiFactory.Testing;

/// <summary>
/// A pass-through between the edge and the hub that records every record the edge sends (by sequence) and can
/// hold a request mid-flight, so a test can kill either side during an upload. Hub unreachable: 502.
/// </summary>
public sealed class RecordingTap : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TaskCompletionSource? _hold;
    private TaskCompletionSource? _holding;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acked;

    private RecordingTap(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public Uri? Hub { get; set; }

    /// <summary>Every record sent, at least once, by sequence.</summary>
    public ConcurrentDictionary<long, UplinkRecord> Records { get; } = new();

    public int Acked => Volatile.Read(ref _acked);

    public static async Task<RecordingTap> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var tap = new RecordingTap(app);
        app.MapPost("/api/v1/ingest", tap.ForwardAsync);
        await app.StartAsync();
        tap.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return tap;
    }

    /// <summary>The next upload waits at the tap (recorded, not forwarded) until <see cref="Release"/>; answers when it waits.</summary>
    public Task HoldNextAsync()
    {
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _held.Task;
    }

    public void Release()
    {
        _hold?.TrySetResult();
        _holding?.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var gzip = context.Request.Headers.ContentEncoding.ToString() == "gzip";
        using (var json = gzip ? new GZipStream(new MemoryStream(body), CompressionMode.Decompress) : (Stream)new MemoryStream(body))
        {
            var batch = JsonSerializer.Deserialize(json, AiFactoryJsonContext.Default.UplinkBatch)!;
            foreach (var r in batch.Records)
            {
                Records.TryAdd(r.Sequence, r);
            }
        }

        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            _holding = hold;
            _held.TrySetResult();
            await hold.Task;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Hub!, "api/v1/ingest")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        try
        {
            using var response = await _forward.SendAsync(request);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _acked);
            }

            await response.Content.CopyToAsync(context.Response.Body);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = 502;
        }
    }
}
