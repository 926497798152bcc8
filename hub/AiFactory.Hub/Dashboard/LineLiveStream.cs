using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// The line page's live figures over a WebSocket: <c>/ui/companies/{c}/plants/{p}/lines/{l}/live</c>, for the session's
/// user, checked as the page is (another company's line is "not found"). Each message is a JSON object of the page's
/// live places whose text changed (<see cref="LineTexts"/>), formatted in the session's culture; the first holds them
/// all. The page's script (aif-live.js) sets them; the page itself is drawn once, without a Blazor circuit. An open
/// page so costs the hub one small message per change of its line, at most every <c>Hub:Dashboard:RenderInterval</c>
/// (the process's <see cref="LiveTicker"/>), instead of a render, a diff, a SignalR message and its acknowledgement.
/// A WebSocket rather than server-sent events: a browser opens at most six HTTP/1.1 connections to a host, so a seventh
/// tab of live pages on a plain-HTTP hub would wait; WebSockets are not counted against that limit.
/// </summary>
public static partial class LineLiveStream
{
    /// <summary>How often the hub pings a quiet page's socket, so proxies and the browser see it alive.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>The close reason (status 1008, policy violation) when the session's key no longer stands; the page's script reloads on 1008.</summary>
    public const string SessionEnded = "the session ended: its key was revoked or changed";

    public static string Path(string company, string plant, string line) => DashboardPaths.Line(company, plant, line) + "/live";

    public static void Map(WebApplication app) =>
        app.MapGet("/ui/companies/{company}/plants/{plant}/lines/{line}/live", StreamAsync).RequireAuthorization().AddEndpointFilter<RouteIdFilter>();

    private static async Task StreamAsync(
        HttpContext h, string company, string plant, string line, TenancyStore tenancy, LiveTicker ticker, LineDetails details,
        IOptions<DashboardOptions> options, IStringLocalizer<Text> text, IHostApplicationLifetime lifetime, ILoggerFactory logs)
    {
        var caller = h.RequireRead(company);
        var scope = new MetricsScope(company, plant, line);
        await QueryEndpoints.RequireScopeAsync(tenancy, scope, h.RequestAborted).ConfigureAwait(false);
        if (!h.WebSockets.IsWebSocketRequest)
        {
            throw HubProblemException.BadRequest($"{h.Request.Path}: a line's live figures are sent over a WebSocket; open it as one (the line page's script does).");
        }

        // The session cookie is SameSite=Strict, so another site's page cannot open this with it; a stated origin must be this host all the same.
        if (h.Request.Headers.Origin is [{ } origin] && !(Uri.TryCreate(origin, UriKind.Absolute, out var from) && string.Equals(from.Authority, h.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            throw HubProblemException.Forbidden($"{h.Request.Path}: a live line opened from '{origin}', not from this hub's own pages.");
        }

        var tree = await tenancy.TreeAsync(company, h.RequestAborted).ConfigureAwait(false);
        var stations = tree.Plants.First(p => p.Id == plant).Lines.First(l => l.Id == line).Stations.Select(s => s.Id).ToArray();
        var (backlog, quality) = await details.ReadAsync(scope).ConfigureAwait(false);
        using var socket = await h.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = KeepAlive, DangerousEnableCompression = false }).ConfigureAwait(false);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(h.RequestAborted, lifetime.ApplicationStopping);
        var page = new LinePage(socket, new LineTexts(CultureInfo.CurrentCulture, text["EdgesOnline"].Value), stations, backlog, quality, end.Token);
        try
        {
            using var lineView = ticker.Start(scope, page.LineAsync);
            using var plantView = ticker.Start(new MetricsScope(company, plant), page.PlantAsync);
            var log = logs.CreateLogger(typeof(LineLiveStream).FullName!);
            var where = $"the live page of line {company}/{plant}/{line}";
            var refresh = PageTicker.RunAsync(options.Value.DetailsRefresh, async () =>
            {
                // A request's key is checked as it comes; a socket's goes on being checked: a key revoked (or changed)
                // since ends the page's stream within a refresh, and its script reloads the page, which asks to sign in.
                if (!await KeyRecheck.StillStandsAsync(tenancy, caller, log, where, end.Token).ConfigureAwait(false))
                {
                    await page.CloseAsync(WebSocketCloseStatus.PolicyViolation, SessionEnded).ConfigureAwait(false);
                    // The page answers the close, which ends the stream; one that does not is cut off.
                    end.CancelAfter(TimeSpan.FromSeconds(5));
                    return;
                }

                try
                {
                    var (b, q) = await details.ReadAsync(scope).ConfigureAwait(false);
                    await page.DetailsAsync(b, q).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The page keeps its stream and its last backlog and data quality; the next refresh reads them again.
                    LogDetailsFailed(log, ex, where);
                }
            }, end.Token);
            await ReceiveUntilClosedAsync(socket, end.Token).ConfigureAwait(false);
            await end.CancelAsync().ConfigureAwait(false);
            await refresh.ConfigureAwait(false);
        }
        finally
        {
            await page.CloseAsync(WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
        }
    }

    /// <summary>The page sends nothing but its close; reading is how the hub hears it (or the connection's end).</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>One open page's state: what it was last sent, and the one writer of its socket.</summary>
    private sealed class LinePage(
        WebSocket socket, LineTexts texts, IReadOnlyList<string> stations, long? backlog, IReadOnlyDictionary<string, long> quality, CancellationToken ct)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private LiveSnapshot? _line;
        private (int, int)? _edges;
        private long? _backlog = backlog;
        private IReadOnlyDictionary<string, long> _quality = quality;
        private Dictionary<string, string>? _sent;
        private bool _closed;

        public Task LineAsync(LiveSnapshot line) => ChangeAsync(() => _line = line);

        public Task PlantAsync(LiveSnapshot plant) =>
            (plant.EdgesOnline, plant.EdgesTotal) == _edges ? Task.CompletedTask : ChangeAsync(() => _edges = (plant.EdgesOnline, plant.EdgesTotal));

        public Task DetailsAsync(long? backlog, IReadOnlyDictionary<string, long> quality) => ChangeAsync(() => (_backlog, _quality) = (backlog, quality));

        /// <summary>After this, nothing more is sent; the socket is closed (with <paramref name="status"/>) if it is not yet.</summary>
        public async Task CloseAsync(WebSocketCloseStatus status, string? reason)
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                _closed = true;
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task ChangeAsync(Action change)
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (_closed)
                {
                    return;
                }

                change();
                // The line's first snapshot fills the page in; until then it keeps its dashes.
                if (_line is null)
                {
                    return;
                }

                var now = texts.Build(_line, stations, _edges, _backlog, _quality);
                var changes = LineTexts.Changes(_sent, now);
                _sent = now;
                if (changes.Count == 0)
                {
                    return;
                }

                foreach (var station in stations)
                {
                    var key = "tile-" + station + "/pareto";
                    if (changes.ContainsKey(key))
                    {
                        changes[key] = ParetoChart.Path(LineTexts.Child(_line, station)?.OneHour.DefectRatePerClass);
                    }
                }

                _buffer.ResetWrittenCount();
                using (var json = new Utf8JsonWriter(_buffer))
                {
                    JsonSerializer.Serialize(json, changes);
                }

                await socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The page went away: its request's end stops the stream; nothing more is sent.
                _closed = true;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    [LoggerMessage(EventId = 1533, Level = LogLevel.Warning, Message = "Could not read the backlog and data quality of {Page}; it keeps the last and reads them again at the next refresh")]
    private static partial void LogDetailsFailed(ILogger log, Exception ex, string page);
}
