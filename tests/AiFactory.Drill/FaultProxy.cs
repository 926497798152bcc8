using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace AiFactory.Drill;

/// <summary>
/// A TCP proxy of the drill's own on 127.0.0.1 between an edge and the hub (or the tap before it), which drops,
/// delays, resets or cuts the traffic while <see cref="Fault"/> says so.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(Socket Client, Socket Server)> _open = [];
    private readonly Task _accepting;
    private volatile ProxyFault _fault;
    private int _accepted;

    private FaultProxy(Socket listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public static TimeSpan Delay { get; } = TimeSpan.FromMilliseconds(700);

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Connections accepted so far (for the drill's notes when a scenario fails).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public ProxyFault Fault
    {
        get => _fault;
        set
        {
            lock (_gate)
            {
                _fault = value;
                if (value == ProxyFault.Cut)
                {
                    foreach (var (client, server) in _open)
                    {
                        client.Dispose();
                        server.Dispose();
                    }

                    _open.Clear();
                }
            }
        }
    }

    public static FaultProxy Start(Uri target)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return new FaultProxy(listener, new IPEndPoint(IPAddress.Loopback, target.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Fault = ProxyFault.Cut;
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _ = ServeAsync(await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        Interlocked.Increment(ref _accepted);
        if (Fault == ProxyFault.Cut)
        {
            Reset(client);
            return;
        }

        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            Reset(client);
            server.Dispose();
            return;
        }

        lock (_gate)
        {
            _open.Add((client, server));
        }

        // A connection that lost bytes stays a black hole (as a TCP stream cannot skip bytes): the edge's timeout ends it.
        var blackHole = new StrongBox<bool>();
        await Task.WhenAny(PumpAsync(client, server, blackHole, answers: false), PumpAsync(server, client, blackHole, answers: true)).ConfigureAwait(false);
        lock (_gate)
        {
            _open.Remove((client, server));
        }

        client.Dispose();
        server.Dispose();
    }

    /// <param name="answers">True for the hub's side (its answers to the edge).</param>
    private async Task PumpAsync(Socket from, Socket to, StrongBox<bool> blackHole, bool answers)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                blackHole.Value |= Fault == ProxyFault.Drop;
                if (blackHole.Value)
                {
                    continue;
                }

                if (answers && Fault == ProxyFault.Reset)
                {
                    Reset(to);
                    return;
                }

                if (Fault == ProxyFault.Delay)
                {
                    await Task.Delay(Delay, _stop.Token).ConfigureAwait(false);
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
