using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing;

/// <summary>
/// A block of 127.0.0.1 ports that this process alone hands out: the block is claimed by an exclusive lock on a file
/// of its own in a folder every AiFactory test process shares (an advisory flock the kernel drops when the process
/// dies, kill -9 included), so two test processes never draw the same port, and a port stays this process's while
/// a server it started is down (a hub killed -9 and restarted on its port).
/// </summary>
/// <remarks>
/// Asking the OS for a free port (bind to port 0, release, start the server) races: between the release and the
/// server's bind another process may be given the same port, and a test then talks to another test's hub. The blocks
/// lie below the kernel's ephemeral range, which the OS never hands out for port 0 or an outgoing connection.
/// </remarks>
public sealed class PortBlock : IDisposable
{
    private readonly FileStream _claim;
    private int _handedOut;

    private PortBlock(FileStream claim, int first, int size)
    {
        _claim = claim;
        First = first;
        Size = size;
    }

    public int First { get; }

    public int Size { get; }

    /// <summary>The lock file's path: the folder and the block's port range.</summary>
    public string LockFile => _claim.Name;

    /// <summary>Claims the first of <paramref name="blocks"/> blocks of <paramref name="size"/> ports from <paramref name="firstPort"/> that no other process holds.</summary>
    /// <exception cref="InvalidOperationException">Every block is held, or the range is not a range of ports.</exception>
    public static PortBlock Claim(string lockFolder, int firstPort, int size, int blocks)
    {
        if (firstPort < 1024 || size < 1 || blocks < 1 || (long)firstPort + ((long)size * blocks) > 65536)
        {
            throw new InvalidOperationException($"port blocks: {blocks} block(s) of {size} from {firstPort} is not a range of unprivileged ports (1024..65535)");
        }

        Directory.CreateDirectory(lockFolder);
        for (var i = 0; i < blocks; i++)
        {
            var first = firstPort + (i * size);
            var path = Path.Combine(lockFolder, $"ports-{first}-{first + size - 1}.lock");
            try
            {
                return new PortBlock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), first, size);
            }
            catch (IOException)
            {
                // Held by another test process: try the next block.
            }
        }

        throw new InvalidOperationException($"port blocks: all {blocks} blocks of {size} ports from {firstPort} are held by other processes (lock files in {lockFolder})");
    }

    /// <summary>The next port of the block that nothing listens on; ports are handed out in turn, each once before any comes again.</summary>
    /// <exception cref="InvalidOperationException">Every port of the block is in use.</exception>
    public int Next()
    {
        for (var tried = 0; tried < Size; tried++)
        {
            var port = First + (int)((uint)(Interlocked.Increment(ref _handedOut) - 1) % (uint)Size);
            if (Bindable(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"port block {First}..{First + Size - 1}: every port is in use");
    }

    public void Dispose() => _claim.Dispose();

    /// <summary>Something outside the tests (a server of the machine's) may listen in the block: such a port is skipped.</summary>
    private static bool Bindable(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
