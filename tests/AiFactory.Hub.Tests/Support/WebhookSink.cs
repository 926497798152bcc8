using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests.Support;

/// <summary>
/// An HTTP listener on 127.0.0.1 that keeps every JSON body POSTed to it, answering 204; the first
/// <c>failures</c> requests it answers 503 instead (and keeps them in <see cref="Refused"/>).
/// </summary>
internal sealed class WebhookSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<JsonElement> _bodies = new();
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly ConcurrentQueue<string> _noticeHeaders = new();
    private readonly Task _serving;
    private int _failuresLeft;

    public WebhookSink(int? port = null, int failures = 0)
    {
        Url = new Uri($"http://127.0.0.1:{port ?? FreePort.Next()}/alarms/");
        _failuresLeft = failures;
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    /// <summary>The bodies answered 204, in arrival order.</summary>
    public IReadOnlyCollection<JsonElement> Bodies => _bodies;

    /// <summary>The <c>X-AiFactory-Notice</c> header of each request answered 503.</summary>
    public IReadOnlyCollection<string> Refused => _refused;

    /// <summary>The <c>X-AiFactory-Notice</c> header of each request answered 204.</summary>
    public IReadOnlyCollection<string> NoticeHeaders => _noticeHeaders;

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }

            var notice = context.Request.Headers["X-AiFactory-Notice"] ?? string.Empty;
            using (var body = context.Request.InputStream)
            {
                var json = (await JsonDocument.ParseAsync(body)).RootElement.Clone();
                if (Interlocked.Decrement(ref _failuresLeft) >= 0)
                {
                    _refused.Enqueue(notice);
                    context.Response.StatusCode = 503;
                }
                else
                {
                    _noticeHeaders.Enqueue(notice);
                    _bodies.Enqueue(json);
                    context.Response.StatusCode = 204;
                }
            }

            context.Response.Close();
        }
    }
}
