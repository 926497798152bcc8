using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Sending;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>
/// The test assembly's entry point, run only as the child process of the kill -9 tests (the test runner never
/// calls it). It appends numbered events to an outbox, one committed transaction each, and prints "n sequence"
/// after each commit returns; with a hub address it also drains the outbox to that hub meanwhile. It runs until
/// it is killed.
/// </summary>
internal static class ChildMain
{
    public const string Command = "outbox-child";

    public static async Task<int> Main(string[] args)
    {
        if (args is [PackageChild.Command, var cache, var refJson, var source])
        {
            return await PackageChild.RunAsync(cache, refJson, source);
        }

        if (args is not [Command, var path, ..])
        {
            await Console.Error.WriteLineAsync($"usage: {Command} <outbox> [<hub url> <key>]");
            return 2;
        }

        using var outbox = OutboxStore.Open(new OutboxOptions { Path = path });
        using var http = new HttpClient();
        using var metrics = new UplinkMetrics("edge-kill", outbox);
        UplinkService? service = null;
        if (args is [_, _, var hub, var key])
        {
            var options = new UplinkOptions { HubUrl = new Uri(hub), ApiKey = key, EdgeId = "edge-kill", MaxBatchRecords = 20, BackoffBase = TimeSpan.FromMilliseconds(5), BackoffCap = TimeSpan.FromMilliseconds(50), IdlePoll = TimeSpan.FromMilliseconds(5) };
            service = new UplinkService(new UplinkSender(outbox, new UplinkClient(http, options), options, metrics, NullLogger.Instance), options, NullLogger<UplinkService>.Instance);
            await service.StartAsync(CancellationToken.None);
        }

        for (var n = 1; ; n++)
        {
            var seq = outbox.Append([Records.Event(n)]).Sequences[0];
            Console.Out.WriteLine($"{n} {seq}");
            service?.Nudge();
        }
    }
}
