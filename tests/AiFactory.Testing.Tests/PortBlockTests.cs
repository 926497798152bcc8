using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiFactory.Testing.Tests;

/// <summary>
/// Port blocks claimed by lock files. Each test claims a real block of <see cref="FreePort"/>'s range first (so no other
/// test process draws from it), then works on small blocks inside it under a lock folder of its own.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PortBlockTests : IDisposable
{
    private readonly string _locks = Directory.CreateTempSubdirectory("aifactory-port-locks-").FullName;
    private readonly PortBlock _reserved = PortBlock.Claim(FreePort.LockFolder, 16384, 512, 32);

    public void Dispose()
    {
        _reserved.Dispose();
        Directory.Delete(_locks, recursive: true);
    }

    [Fact]
    public void Next_HandsOutEveryPortOfTheBlockOnceBeforeAnyAgain()
    {
        using var block = PortBlock.Claim(_locks, _reserved.First, 4, 1);
        var ports = Enumerable.Range(0, 8).Select(_ => block.Next()).ToList();
        Assert.Equal([.. Enumerable.Range(_reserved.First, 4), .. Enumerable.Range(_reserved.First, 4)], ports);
    }

    [Fact]
    public void Next_PortSomethingListensOn_IsSkipped()
    {
        using var block = PortBlock.Claim(_locks, _reserved.First, 3, 1);
        using var listener = new TcpListener(IPAddress.Loopback, _reserved.First + 1);
        listener.Start();
        Assert.Equal([_reserved.First, _reserved.First + 2, _reserved.First], [block.Next(), block.Next(), block.Next()]);
    }

    [Fact]
    public void Next_EveryPortInUse_FailsNamingTheBlock()
    {
        using var block = PortBlock.Claim(_locks, _reserved.First, 1, 1);
        using var listener = new TcpListener(IPAddress.Loopback, _reserved.First);
        listener.Start();
        var ex = Assert.Throws<InvalidOperationException>(() => block.Next());
        Assert.Equal($"port block {_reserved.First}..{_reserved.First}: every port is in use", ex.Message);
    }

    [Fact]
    public void Claim_BlockHeldInThisProcess_TakesTheNextBlock()
    {
        using var first = PortBlock.Claim(_locks, _reserved.First, 8, 4);
        using var second = PortBlock.Claim(_locks, _reserved.First, 8, 4);
        Assert.Equal(_reserved.First, first.First);
        Assert.Equal(_reserved.First + 8, second.First);
        Assert.DoesNotContain(second.Next(), Enumerable.Range(first.First, 8));
    }

    [Fact]
    public async Task Claim_BlockHeldByAnotherProcess_TakesTheNextBlockAndGetsTheFirstOnceFreed()
    {
        var lockFile = Path.Combine(_locks, $"ports-{_reserved.First}-{_reserved.First + 7}.lock");
        using (var holder = HoldLock(lockFile))
        {
            await Eventually.WaitFor(() => IsLocked(lockFile), "another process holding the first block's lock file", TimeSpan.FromSeconds(10));
            using var block = PortBlock.Claim(_locks, _reserved.First, 8, 2);
            Assert.Equal(_reserved.First + 8, block.First);
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        // kill -9 of the holder frees its block: the kernel drops the lock with the process.
        using var again = PortBlock.Claim(_locks, _reserved.First, 8, 2);
        Assert.Equal(_reserved.First, again.First);
    }

    [Fact]
    public void Claim_EveryBlockHeld_FailsNamingTheLockFolder()
    {
        using var only = PortBlock.Claim(_locks, _reserved.First, 8, 1);
        var ex = Assert.Throws<InvalidOperationException>(() => PortBlock.Claim(_locks, _reserved.First, 8, 1));
        Assert.Equal($"port blocks: all 1 blocks of 8 ports from {_reserved.First} are held by other processes (lock files in {_locks})", ex.Message);
    }

    [Theory]
    [InlineData(80, 8, 1)]
    [InlineData(65000, 512, 2)]
    [InlineData(20000, 0, 1)]
    public void Claim_NotARangeOfUnprivilegedPorts_FailsNamingIt(int first, int size, int blocks)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => PortBlock.Claim(_locks, first, size, blocks));
        Assert.Equal($"port blocks: {blocks} block(s) of {size} from {first} is not a range of unprivileged ports (1024..65535)", ex.Message);
    }

    [Fact]
    public void FreePort_Next_IsInABlockThisProcessHoldsAgainstOtherProcesses()
    {
        var port = FreePort.Next();
        var held = Directory.GetFiles(FreePort.LockFolder, "ports-*.lock")
            .Select(f => (File: f, Range: Path.GetFileNameWithoutExtension(f).Split('-')))
            .Single(b => int.Parse(b.Range[1], System.Globalization.CultureInfo.InvariantCulture) <= port && port <= int.Parse(b.Range[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(IsLocked(held.File), $"{held.File} is not locked: another process could be handed port {port}");
        Assert.InRange(port, 16384, 32767);
    }

    /// <summary>
    /// Another process holding an exclusive lock on the file until killed: one python3 process that takes the lock
    /// itself. (flock(1) ran sleep(1) as a child that inherited the lock; once, under the whole test run's load, the
    /// child still held it after flock was killed and had exited.)
    /// </summary>
    private static Process HoldLock(string file) =>
        Process.Start(new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-c", "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\ntime.sleep(120)", file },
        }) ?? throw new InvalidOperationException("python3 did not start");

    /// <summary>True when another open file description holds the lock (flock -n fails at once).</summary>
    private static bool IsLocked(string file)
    {
        using var probe = Process.Start(new ProcessStartInfo("flock") { ArgumentList = { "-n", "-x", file, "true" } })!;
        probe.WaitForExit();
        return probe.ExitCode != 0;
    }
}
