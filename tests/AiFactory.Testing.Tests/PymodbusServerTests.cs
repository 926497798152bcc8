using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing.Tests;

/// <summary>The pymodbus fixture when its port is taken: pymodbus alone would wait for ever without a word.</summary>
[Trait("Category", "Integration")]
public sealed class PymodbusServerTests
{
    [PymodbusFact]
    public void Start_OnAPortTakenAfterItWasDrawn_DrawsAnotherAndListens()
    {
        using var server = new PymodbusServer();
        var drawn = server.Port;
        using var squatter = Squat(drawn);

        server.Start();

        Assert.NotEqual(drawn, server.Port);
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, server.Port);
    }

    [PymodbusFact]
    public void Restart_OnItsPortTaken_FailsAtOnceNamingThePort()
    {
        using var server = new PymodbusServer();
        server.Start();
        server.Stop();
        using var squatter = Squat(server.Port);

        var started = DateTime.UtcNow;
        var error = Assert.Throws<InvalidOperationException>(server.Start);

        Assert.Contains($"127.0.0.1:{server.Port} exited with 98", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < PymodbusServer.StartWithin, error.Message);
    }

    /// <summary>
    /// Bound, not listening (a connection is refused, as in the CI runs where pymodbus never came up): a probe that
    /// connects cannot tell it from a server still starting.
    /// </summary>
    private static Socket Squat(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }
}
