using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>
/// The line page's live socket (…/lines/{line}/live) and its Pareto fragment, over plain HTTP with a session cookie:
/// the first message holds every place, later ones only what changed; in the session's language; only for the company's own.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LineLiveStreamTests
{
    private const string Live = "/ui/companies/acme/plants/p1/lines/l1/live";

    [Fact]
    public async Task FirstMessageHoldsEveryPlace_LaterOnesOnlyWhatChanged()
    {
        await using var hub = await HubHarness.StartAsync();
        var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        using var browser = new DashboardSessionClient(hub.Address);
        await browser.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var socket = await ConnectAsync(hub.Address, browser.Cookies, Live, timeout.Token);
        Assert.Equal(WebSocketState.Open, socket.State);
        var first = await NextAsync(socket, timeout.Token);
        Assert.Equal(3 + AiFactory.Hub.Dashboard.LineTexts.TileParts.Count, first.Count);
        Assert.Equal("0", first["tile-s1/frames"]);
        var shown = new Dictionary<string, string>(first);

        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", DateTimeOffset.UtcNow, 10, 7, 3, classes: new Dictionary<string, long> { ["scratch"] = 3, ["ok"] = 7 })])))).EnsureSuccessStatusCode();
        var later = new List<Dictionary<string, string>>();
        while (shown["tile-s1/frames"] != "10" || shown["tile-s1/edges"] != "edges-ok|Edges online 1/1")
        {
            var changes = await NextAsync(socket, timeout.Token);
            later.Add(changes);
            foreach (var (key, text) in changes)
            {
                // Only a change is sent: never a place with the text it already shows.
                Assert.NotEqual(shown[key], text);
                shown[key] = text;
            }
        }

        Assert.All(later, changes => Assert.True(changes.Count < first.Count));
        Assert.Equal("failing|", shown["tile-s1/status"]);
        Assert.Equal("/ui/fragments/pareto?c=ok&p=70.0&c=scratch&p=30.0", shown["tile-s1/pareto"]);

        // The chart the page fetches for that place: MudBlazor's, in the session's language.
        using var chart = await browser.GetAsync(shown["tile-s1/pareto"]);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        var html = await chart.Content.ReadAsStringAsync(timeout.Token);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("Classes, largest first (1 h)", html, StringComparison.Ordinal);

        // The page's close ends the hub's side too.
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    [Fact]
    public async Task Figures_FollowTheSessionsLanguage()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var browser = new DashboardSessionClient(hub.Address);
        await browser.SignInAsync((await hub.UserAsync("acme", "plant-engineer")).Key);
        browser.Cookies.Add(hub.Address, new Cookie(".AspNetCore.Culture", Uri.EscapeDataString("c=ko|uic=ko")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var socket = await ConnectAsync(hub.Address, browser.Cookies, Live, timeout.Token);
        var first = await NextAsync(socket, timeout.Token);

        // The chip's template depends on whether the plant's first snapshot came yet (0/0) or not (the edge never sent: 0/1).
        Assert.Matches(@"^edges-(ok|offline)\|엣지 온라인 \d+/\d+$", first["tile-s1/edges"]);
    }

    [Fact]
    public async Task AnotherCompany_AStranger_AnotherSite_APlainGet_AndABadChart_AreRefused()
    {
        await using var hub = await HubHarness.StartAsync();
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        await hub.SetupPlantAsync("other", "p9", "e9", ("l9", "s9"));
        using var other = new DashboardSessionClient(hub.Address);
        await other.SignInAsync((await hub.UserAsync("other", "company-admin")).Key);
        using var stranger = new DashboardSessionClient(hub.Address);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NotFound, await RefusedAsync(hub.Address, other.Cookies, Live, null, timeout.Token));
        Assert.Equal(HttpStatusCode.NotFound, await RefusedAsync(hub.Address, other.Cookies, "/ui/companies/other/plants/p9/lines/nope/live", null, timeout.Token));
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, await RefusedAsync(hub.Address, stranger.Cookies, Live, null, timeout.Token));
        using (var unsigned = await stranger.GetAsync(Live))
        {
            Assert.Equal(HttpStatusCode.Redirect, unsigned.StatusCode);
            Assert.StartsWith("/ui/signin?ReturnUrl=", unsigned.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(hub.Address, other.Cookies, "/ui/companies/other/plants/p9/lines/l9/live", "http://elsewhere.example", timeout.Token));
        using (var mine = await ConnectAsync(hub.Address, other.Cookies, "/ui/companies/other/plants/p9/lines/l9/live", timeout.Token))
        {
            Assert.Contains("tile-s9/frames", (await NextAsync(mine, timeout.Token)).Keys);
        }

        using var plain = await other.GetAsync("/ui/companies/other/plants/p9/lines/l9/live");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("sent over a WebSocket", await plain.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        using var anonymous = await stranger.GetAsync("/ui/fragments/pareto?c=a&p=1");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        using var bad = await other.GetAsync("/ui/fragments/pareto?c=a&p=many");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("pareto chart: class 'a' has share 'many'", await bad.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyRevokedWhileItsPageIsOpen_EndsTheStream_AndTheSocketIsRefusedAfter()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--Hub:Dashboard:DetailsRefresh=00:00:00.2"]);
        await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        var engineer = await hub.UserAsync("acme", "plant-engineer");
        using var browser = new DashboardSessionClient(hub.Address);
        await browser.SignInAsync(engineer.Key);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = await ConnectAsync(hub.Address, browser.Cookies, Live, timeout.Token);
        await NextAsync(socket, timeout.Token);

        // Some refreshes pass with the key standing: the stream stays open.
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        Assert.Equal(WebSocketState.Open, socket.State);
        (await hub.Admin.PostAsync($"/api/v1/admin/keys/{engineer.KeyId}/revoke", null)).EnsureSuccessStatusCode();

        var closed = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            while (true)
            {
                await NextAsync(socket, timeout.Token);
            }
        });
        Assert.Equal($"the line's socket closed: PolicyViolation {AiFactory.Hub.Dashboard.LineLiveStream.SessionEnded}", closed.Message);
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, await RefusedAsync(hub.Address, browser.Cookies, Live, null, timeout.Token));
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri hub, CookieContainer cookies, string path, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        await socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws", Path = path }.Uri, ct);
        return socket;
    }

    /// <summary>The HTTP status a refused handshake was answered with.</summary>
    private static async Task<HttpStatusCode> RefusedAsync(Uri hub, CookieContainer cookies, string path, string? origin, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws", Path = path }.Uri, ct));
        return socket.HttpStatusCode;
    }

    /// <summary>The next message's places.</summary>
    private static async Task<Dictionary<string, string>> NextAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the line's socket closed: {received.CloseStatus} {received.CloseStatusDescription}");
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            if (received.EndOfMessage)
            {
                return JsonSerializer.Deserialize<Dictionary<string, string>>(text.ToString())!;
            }
        }
    }
}
