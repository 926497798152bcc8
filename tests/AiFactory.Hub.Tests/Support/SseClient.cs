using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using AiFactory.Hub.Live;

namespace AiFactory.Hub.Tests.Support;

/// <summary>Reads a live view's server-sent events in the background; each snapshot with the moment it arrived.</summary>
internal sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(LiveSnapshot Snapshot, long At)> _snapshots = Channel.CreateUnbounded<(LiveSnapshot, long)>();
    private readonly Task _reading;

    private SseClient(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reading = ReadAsync();
    }

    public static async Task<SseClient> OpenAsync(Uri hub, string key, string path)
    {
        var http = new HttpClient { BaseAddress = hub, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var opening = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, opening.Token);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(http, response);
    }

    /// <summary>Completes when the hub ends the stream (or the client is disposed).</summary>
    public Task Ended => _reading;

    /// <summary>The next snapshot that meets <paramref name="condition"/>, and when (Stopwatch timestamp) it arrived; within 20 s.</summary>
    public async Task<(LiveSnapshot Snapshot, long At)> WaitForAsync(Func<LiveSnapshot, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        LiveSnapshot? last = null;
        try
        {
            while (true)
            {
                var (snapshot, at) = await _snapshots.Reader.ReadAsync(timeout.Token);
                last = snapshot;
                if (condition(snapshot))
                {
                    return (snapshot, at);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no snapshot with {what} within 20 s; the last: {JsonSerializer.Serialize(last)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
        var data = new List<string>();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line[5..].TrimStart());
            }
            else if (line.Length == 0 && data.Count > 0)
            {
                var snapshot = JsonSerializer.Deserialize<LiveSnapshot>(string.Join('\n', data), JsonSerializerOptions.Web)!;
                _snapshots.Writer.TryWrite((snapshot, Stopwatch.GetTimestamp()));
                data.Clear();
            }
        }

        _snapshots.Writer.TryComplete();
    }
}
