using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing;

/// <summary>
/// Ports on 127.0.0.1 for the servers tests start (hub, silos, nginx, mosquitto, pymodbus, the edge's status page):
/// from a <see cref="PortBlock"/> this process holds, so no other test process can be handed the same port between
/// the pick and the server's bind.
/// </summary>
public static class FreePort
{
    /// <summary>Machine-wide, whatever TMPDIR a test run sets: ports are machine-wide.</summary>
    public static readonly string LockFolder = Path.Combine(Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath(), "aifactory-test-ports");

    /// <summary>16384..32767: below Linux's default ephemeral range (32768..60999), in 32 blocks of 512.</summary>
    private const int FirstPort = 16384;
    private const int BlockSize = 512;

    private static readonly Lazy<PortBlock> Block = new(() => PortBlock.Claim(LockFolder, FirstPort, BlockSize, Blocks()));

    /// <summary>A port nothing listens on now, that no other test process will be given.</summary>
    public static int Next() => Block.Value.Next();

    /// <summary>Waits until something accepts connections on 127.0.0.1:port.</summary>
    public static async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>As many blocks as fit below the machine's ephemeral range (a lowered range must not overlap them).</summary>
    private static int Blocks()
    {
        var ephemeralStart = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux: keep the default.
        }

        var blocks = (ephemeralStart - FirstPort) / BlockSize;
        return blocks >= 1 ? blocks : throw new InvalidOperationException($"the ephemeral port range starts at {ephemeralStart}: no room below it for the tests' port blocks from {FirstPort}");
    }
}
