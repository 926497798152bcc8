using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests.Support;

/// <summary>An HTTP listener on 127.0.0.1 that keeps every JSON body POSTed to it, answering 204.</summary>
internal sealed class WebhookSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<JsonElement> _bodies = new();
    private readonly Task _serving;

    public WebhookSink()
    {
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/alarms/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    public IReadOnlyCollection<JsonElement> Bodies => _bodies;

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

            using (var body = context.Request.InputStream)
            {
                _bodies.Enqueue((await JsonDocument.ParseAsync(body)).RootElement.Clone());
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }
}
