using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AiFactory.Benchmarks;

/// <summary>
/// Open line pages whose browsers are on other machines, as on a plant: what each page's script asks of the hub, and
/// nothing of a browser's rendering. Run as its own process (<c>--line-sockets HUB KEY PAGES</c>): signs in through the
/// sign-in form like a browser, opens one line page's live WebSocket per line (l0, l1, …), reads every message, and
/// fetches a tile's Pareto chart whenever its place changes, as aif-live.js does. Prints "ready" once every page has
/// had its first message and fetched its charts; exits when its standard input closes, printing the messages and charts it got.
/// </summary>
internal static partial class LineSocketClients
{
    public static async Task<int> RunAsync(Uri hub, string key, int pages)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = hub };
        var form = await http.GetStringAsync("/ui/signin");
        var token = Token().Match(form) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("the sign-in page has no antiforgery token");
        using var signIn = await http.PostAsync("/ui/forms/signin", new FormUrlEncodedContent([new("key", key), new("timeZone", "UTC"), new("returnUrl", "/ui"), new("__RequestVerificationToken", token)]));
        if (signIn.StatusCode != HttpStatusCode.Redirect || signIn.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode} {signIn.Headers.Location}");
        }

        using var stop = new CancellationTokenSource();
        var firsts = new TaskCompletionSource[pages];
        long messages = 0, charts = 0;
        var readers = Enumerable.Range(0, pages).Select(l =>
        {
            firsts[l] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return Task.Run(async () =>
            {
                using var socket = new ClientWebSocket();
                socket.Options.Cookies = cookies;
                await socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws", Path = $"/ui/companies/bench/plants/p1/lines/l{l}/live" }.Uri, stop.Token);
                var buffer = new byte[256 * 1024];
                try
                {
                    while (true)
                    {
                        var count = 0;
                        ValueWebSocketReceiveResult received;
                        do
                        {
                            received = await socket.ReceiveAsync(buffer.AsMemory(count), stop.Token);
                            count += received.Count;
                        }
                        while (!received.EndOfMessage);
                        if (received.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        Interlocked.Increment(ref messages);
                        foreach (var (place, text) in JsonSerializer.Deserialize<Dictionary<string, string>>(buffer.AsSpan(0, count))!)
                        {
                            if (place.EndsWith("/pareto", StringComparison.Ordinal) && text.Length > 0)
                            {
                                using var chart = await http.GetAsync(text, stop.Token);
                                await chart.Content.ReadAsByteArrayAsync(stop.Token);
                                Interlocked.Increment(ref charts);
                            }
                        }

                        // Open once its first message and that message's charts are in: opening 50 pages draws 500
                        // charts, the pages' cost of being opened, not of being open (a phase that starts sooner
                        // measures that burst).
                        firsts[l].TrySetResult();
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }).ToArray();

        await Task.WhenAll(firsts.Select(f => f.Task)).WaitAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{messages} messages, {charts} charts"));
        return 0;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
