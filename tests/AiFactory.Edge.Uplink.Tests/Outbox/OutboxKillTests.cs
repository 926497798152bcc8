using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Sending;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Uplink.Tests.Outbox;

/// <summary>
/// kill -9 (SIGKILL) a process that appends to the outbox, with and without an upload running: every record
/// whose Append returned before the kill is still there (or at the hub), and nothing reaches the hub twice.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OutboxKillTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string PathName => _folder.File("outbox.db");

    [Fact]
    public async Task KilledWhileAppending_EveryCommittedRecordSurvives()
    {
        var committed = await RunAndKillAsync([ChildMain.Command, PathName], until: c => c.Count >= 400);

        using var outbox = OutboxStore.Open(new OutboxOptions { Path = PathName });
        var stored = outbox.Peek(int.MaxValue, long.MaxValue).ToDictionary(Records.NumberOf, e => e.Sequence);
        Assert.Equal(0, outbox.Counters.Quarantined);
        Assert.All(committed, c => Assert.Equal(c.Sequence, stored[c.Number]));

        // At most the record being committed when the kill landed is there without having been reported.
        Assert.InRange(stored.Count, committed.Count, committed.Count + 1);
        Assert.Equal(Enumerable.Range(1, stored.Count), stored.Keys.Order());
        Assert.True(outbox.Append([Records.Event(0)]).Sequences[0] > stored.Values.Max(), "a sequence after the restart is above every stored one");
    }

    [Fact]
    public async Task KilledDuringUploads_AfterRestartTheHubHoldsEveryCommittedRecordExactlyOnce()
    {
        await using var hub = await FakeIngestHub.StartAsync();
        var committed = await RunAndKillAsync([ChildMain.Command, PathName, hub.Url.ToString(), hub.Key], until: c => c.Count >= 600 && hub.Requests >= 10);
        var beforeRestart = hub.AppliedCount;

        using (var outbox = OutboxStore.Open(new OutboxOptions { Path = PathName }))
        using (var http = new HttpClient())
        using (var metrics = new UplinkMetrics("edge-kill", outbox))
        {
            var options = new UplinkOptions { HubUrl = hub.Url, ApiKey = hub.Key, EdgeId = "edge-kill", MaxBatchRecords = 20 };
            var sender = new UplinkSender(outbox, new UplinkClient(http, options), options, metrics, NullLogger.Instance);
            while ((await sender.SendNextAsync(CancellationToken.None)).Kind == UplinkStepKind.Progress)
            {
            }

            Assert.Equal(0, outbox.Counters.BacklogRecords);
        }

        var applied = hub.Applied.Values.Select(r => ((int)r.Event!.Score, r.Sequence)).ToArray();
        var numbers = applied.Select(a => a.Item1).Order().ToArray();
        Assert.True(beforeRestart > 0, "some records reached the hub before the kill");
        Assert.Equal(Enumerable.Range(1, numbers.Length), numbers);
        Assert.InRange(numbers.Length, committed.Count, committed.Count + 1);
        var bySeq = hub.Applied;
        Assert.All(committed, c => Assert.Equal(c.Number, (int)bySeq[c.Sequence].Event!.Score));
    }

    private static async Task<IReadOnlyList<(int Number, long Sequence)>> RunAndKillAsync(string[] args, Func<IReadOnlyCollection<(int Number, long Sequence)>, bool> until)
    {
        var lines = new ConcurrentQueue<(int, long)>();
        var errors = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ChildMain).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process? child = Process.Start(start)!;
        try
        {
            child.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.Split(' ') is [var n, var s])
                {
                    lines.Enqueue((int.Parse(n, CultureInfo.InvariantCulture), long.Parse(s, CultureInfo.InvariantCulture)));
                }
            };
            child.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    errors.Enqueue(line);
                }
            };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            await Eventually.WaitFor(() => child.HasExited || until(lines), "the child's progress");
            Assert.False(child.HasExited, $"the child exited early: {string.Join(Environment.NewLine, errors)}");

            // Process.Kill sends SIGKILL on Linux: no finally blocks, no flush, no SQLite close.
            child.Kill();
            await child.WaitForExitAsync();
            Assert.Equal(137, child.ExitCode);
        }
        finally
        {
            ChildProcess.Stop(ref child);
        }

        return [.. lines];
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
